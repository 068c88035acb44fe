package dev.runnel.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The workload's phases, run the same way against any Kafka-protocol bootstrap address. */
final class Workload {

    /**
     * Producer settings for both systems. A log that acknowledges after a ~250 ms flush needs
     * throughput x 250 ms of bytes in flight: 5 requests in flight per connection (the idempotent maximum) of up to
     * 4 MiB each and 64 MiB of buffer per producer give each producer ~20 MiB in flight.
     * batch.size is 1 MiB because kafka-clients' default (sticky) partitioner sends a batch as soon as it is full:
     * with 256 KiB batches a request held 256-512 KiB, the 10 requests the two producers may have in flight held less
     * than the agent's 4 MiB batch-max-bytes, and at half of max throughput the agent's window then waited for its
     * 250 ms timer with every slot taken, a few times a second.
     * linger.ms here is Kafka 4.x's default; {@link LogBenchmark#producerProps()} replaces it with
     * batch-timeout / 5 so that the 5 requests a connection may have in flight are spread over one flush window
     * instead of leaving in the first 25 ms of it and making the rest of the window's records wait for a free slot,
     * then a whole second window.
     */
    static final Map<String, String> DEFAULT_PRODUCER_PROPS = ordered(
            ProducerConfig.ACKS_CONFIG, "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
            ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5",
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
            ProducerConfig.LINGER_MS_CONFIG, "5",
            ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 20),
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20),
            ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(64 << 20),
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000",
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "30000");

    /**
     * The shortest a fixed-rate producer thread sleeps: it then sends every record that fell due meanwhile. Sleeping
     * until each record's own due time (33 µs apart at 30,000 records/s) cost the client a core in context switches
     * on this 2-core VM, taken from the system under test; a record sent up to 1 ms late still counts that delay.
     */
    private static final long PACING_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Consumer settings for both systems: Kafka's defaults but 4 MiB per partition per fetch. */
    static final Map<String, String> DEFAULT_CONSUMER_PROPS = ordered(
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 << 20),
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(50 << 20),
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");

    /** Called on the phase's main thread when its measured window starts and ends (to scrape metrics). */
    interface WindowProbe {
        void start() throws Exception;

        void end() throws Exception;

        WindowProbe NONE = new WindowProbe() {
            @Override
            public void start() {
            }

            @Override
            public void end() {
            }
        };
    }

    record Settings(String bootstrap, int recordBytes, int producers, Map<String, String> producerProps,
                    Map<String, String> consumerProps) {
    }

    /** What a producing phase saw. */
    static final class ProduceResult {
        long ackedTotal;
        long windowAcked;
        double windowSeconds;
        long sentTotal;
        long windowScheduled;
        double tailDrainSeconds;
        Histogram latencyMicros;
        final Map<String, Long> errors = new LinkedHashMap<>();
        BitSet[] acked;

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** What the read-back saw. */
    static final class ReadResult {
        long expectedAcked;
        long endOffsetsTotal;
        long consumed;
        long distinct;
        long duplicates;
        long missingAcked;
        long unackedExtra;
        long bytes;
        double seconds;
        boolean timedOut;
        String error;

        boolean ok() {
            return error == null && !timedOut && missingAcked == 0 && duplicates == 0 && distinct == expectedAcked;
        }
    }

    private final Settings settings;

    Workload(Settings settings) {
        this.settings = settings;
    }

    static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private Properties producerConfig(String clientId) {
        Properties p = new Properties();
        p.putAll(settings.producerProps());
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    void createTopic(String topic, int partitions) throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        try (Admin admin = Admin.create(p)) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException("CreateTopics " + topic + " (" + partitions + " partitions): "
                            + e.getCause(), e.getCause());
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (true) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
                            .get(10, TimeUnit.SECONDS).get(topic);
                    if (d.partitions().size() == partitions
                            && d.partitions().stream().allMatch(pi -> pi.leader() != null && !pi.leader().isEmpty())) {
                        awaitLeadersServing(topic, partitions);
                        return;
                    }
                    if (d.partitions().size() != partitions && System.nanoTime() > deadline) {
                        throw new IllegalStateException(topic + " has " + d.partitions().size()
                                + " partitions, asked for " + partitions);
                    }
                } catch (ExecutionException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("DescribeTopics " + topic + ": " + e.getCause(), e.getCause());
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + ": not every partition has a leader after 60 s");
                }
                Thread.sleep(100);
            }
        }
    }

    /**
     * Metadata can name a leader before that leader serves the partition (a fresh KRaft topic answers
     * NOT_LEADER_OR_FOLLOWER for a moment); idempotent producers with 5 requests in flight then fall into
     * OUT_OF_ORDER_SEQUENCE_NUMBER retries. ListOffsets on every partition, retried by the consumer until each
     * leader answers, makes sure the topic is served before a phase starts, without writing to it.
     */
    private void awaitLeadersServing(String topic, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-topic-check");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<TopicPartition> tps = new ArrayList<>();
        for (int i = 0; i < partitions; i++) {
            tps.add(new TopicPartition(topic, i));
        }
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            c.assign(tps);
            c.endOffsets(tps, Duration.ofSeconds(60));
        }
    }

    /** As many records as the producers can get acknowledged; the measured window follows the warm-up. */
    ProduceResult maxThroughput(String topic, Duration warmup, Duration duration, WindowProbe probe)
            throws Exception {
        int n = settings.producers();
        ProduceResult r = new ProduceResult();
        r.acked = new BitSet[n];
        LongAdder windowAcks = new LongAdder();
        LongAdder ackedTotal = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            r.acked[k] = new BitSet();
            producers.add(new KafkaProducer<>(producerConfig("bench-max-" + k)));
        }
        long t0 = System.nanoTime();
        long measureStart = t0 + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int idx = k;
            KafkaProducer<byte[], byte[]> producer = producers.get(k);
            BitSet acked = r.acked[k];
            Thread t = new Thread(() -> {
                long seq = 0;
                try {
                    while (System.nanoTime() < measureEnd) {
                        long s = seq++;
                        byte[] v = Payloads.make(settings.recordBytes(), idx, s);
                        Callback cb = (md, e) -> {
                            if (e == null) {
                                // callbacks of one producer run on its one I/O thread
                                acked.set((int) s);
                                ackedTotal.increment();
                                long now = System.nanoTime();
                                if (now >= measureStart && now < measureEnd) {
                                    windowAcks.increment();
                                }
                            } else {
                                errors.computeIfAbsent(describe(e), x -> new LongAdder()).increment();
                            }
                        };
                        send(producer, new ProducerRecord<>(topic, null, v), cb, errors);
                    }
                } finally {
                    sent.addAndGet(seq);
                }
            }, "bench-max-" + k);
            threads.add(t);
        }
        runThreads(threads, producers, probe, measureStart, measureEnd, r);
        r.windowAcked = windowAcks.sum();
        r.windowSeconds = duration.toNanos() / 1e9;
        r.ackedTotal = ackedTotal.sum();
        r.sentTotal = sent.get();
        errors.forEach((k, v) -> r.errors.put(k, v.sum()));
        return r;
    }

    /**
     * A fixed rate spread over the producers, each on a fixed timeline: record i of a producer is due at
     * start + i / rate, is sent as soon as possible from then on, and its latency is its acknowledgement time minus
     * that due time, so a stalled send counts against the system (no coordinated omission).
     *
     * @param partitions if positive, records go round-robin over partitions 0..partitions-1; else the default
     *                   partitioner picks (null keys: sticky batches)
     */
    ProduceResult fixedRate(String topic, double recordsPerSecond, int partitions, Duration warmup, Duration duration,
                            WindowProbe probe) throws Exception {
        int n = settings.producers();
        ProduceResult r = new ProduceResult();
        ConcurrentHistogram hist = new ConcurrentHistogram(3);
        LongAdder ackedTotal = new LongAdder();
        LongAdder windowAcked = new LongAdder();
        LongAdder scheduledInWindow = new LongAdder();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        List<KafkaProducer<byte[], byte[]>> producers = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            producers.add(new KafkaProducer<>(producerConfig("bench-rate-" + k)));
        }
        double intervalNanos = 1e9 * n / recordsPerSecond;
        long t0 = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long measureStart = t0 + warmup.toNanos();
        long measureEnd = measureStart + duration.toNanos();
        AtomicLong sent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            int idx = k;
            KafkaProducer<byte[], byte[]> producer = producers.get(k);
            long start = t0 + (long) (intervalNanos * k / n);
            Thread t = new Thread(() -> {
                long i = 0;
                try {
                    while (true) {
                        long due = start + (long) (i * intervalNanos);
                        if (due >= measureEnd) {
                            break;
                        }
                        long wait = due - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(Math.max(wait, PACING_TICK_NANOS));
                            continue;
                        }
                        long s = i++;
                        boolean inWindow = due >= measureStart;
                        if (inWindow) {
                            scheduledInWindow.increment();
                        }
                        byte[] v = Payloads.make(settings.recordBytes(), idx, s);
                        Integer partition = partitions > 0 ? (int) ((s * n + idx) % partitions) : null;
                        Callback cb = (md, e) -> {
                            if (e == null) {
                                ackedTotal.increment();
                                if (inWindow) {
                                    windowAcked.increment();
                                    hist.recordValue(Math.max(0, (System.nanoTime() - due) / 1000));
                                }
                            } else {
                                errors.computeIfAbsent(describe(e), x -> new LongAdder()).increment();
                            }
                        };
                        send(producer, new ProducerRecord<>(topic, partition, null, v), cb, errors);
                    }
                } finally {
                    sent.addAndGet(i);
                }
            }, "bench-rate-" + k);
            threads.add(t);
        }
        runThreads(threads, producers, probe, measureStart, measureEnd, r);
        r.latencyMicros = hist;
        r.ackedTotal = ackedTotal.sum();
        r.windowAcked = windowAcked.sum();
        r.windowScheduled = scheduledInWindow.sum();
        r.windowSeconds = duration.toNanos() / 1e9;
        r.sentTotal = sent.get();
        errors.forEach((k, v) -> r.errors.put(k, v.sum()));
        return r;
    }

    /** Sends one record; a send the client refuses at once is counted as an error, like a failed one. */
    private static void send(KafkaProducer<byte[], byte[]> producer, ProducerRecord<byte[], byte[]> record, Callback cb,
                             Map<String, LongAdder> errors) {
        try {
            producer.send(record, cb);
        } catch (RuntimeException e) {
            errors.computeIfAbsent("send: " + describe(e), x -> new LongAdder()).increment();
        }
    }

    /**
     * Starts the producer threads, scrapes the window's metrics at its start and end, waits for the
     * threads, then closes the producers and times how long their buffered records took to drain.
     */
    private static void runThreads(List<Thread> threads, List<KafkaProducer<byte[], byte[]>> producers, WindowProbe probe,
                                   long measureStart, long measureEnd, ProduceResult r) throws InterruptedException {
        threads.forEach(Thread::start);
        runProbe(probe, measureStart, measureEnd, r);
        for (Thread t : threads) {
            t.join();
        }
        long tailStart = System.nanoTime();
        closeAll(producers);
        r.tailDrainSeconds = (System.nanoTime() - tailStart) / 1e9;
    }

    private static void runProbe(WindowProbe probe, long measureStart, long measureEnd, ProduceResult r)
            throws InterruptedException {
        sleepUntil(measureStart);
        try {
            probe.start();
        } catch (Exception e) {
            r.errors.merge("metrics scrape: " + describe(e), 1L, Long::sum);
        }
        sleepUntil(measureEnd);
        try {
            probe.end();
        } catch (Exception e) {
            r.errors.merge("metrics scrape: " + describe(e), 1L, Long::sum);
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
        }
    }

    private static void closeAll(List<KafkaProducer<byte[], byte[]>> producers) {
        // close() sends what is buffered and waits for every acknowledgement (bounded by delivery.timeout.ms)
        producers.parallelStream().forEach(p -> p.close(Duration.ofSeconds(180)));
    }

    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof ExecutionException && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage() == null ? "" : ": " + t.getMessage();
        if (msg.length() > 160) {
            msg = msg.substring(0, 160) + "...";
        }
        return t.getClass().getSimpleName() + msg;
    }

    /** Reads the topic from the beginning (all partitions assigned) and checks every acknowledged record came back once. */
    ReadResult readBack(String topic, BitSet[] acked, long expectedAcked, Duration timeout) {
        ReadResult r = new ReadResult();
        r.expectedAcked = expectedAcked;
        Properties p = new Properties();
        p.putAll(settings.consumerProps());
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrap());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-read");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        int n = acked.length;
        BitSet[] seen = new BitSet[n];
        for (int k = 0; k < n; k++) {
            seen[k] = new BitSet();
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (PartitionInfo pi : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
                tps.add(new TopicPartition(topic, pi.partition()));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
            for (TopicPartition tp : tps) {
                r.endOffsetsTotal += end.get(tp) - begin.get(tp);
            }
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : tps) {
                if (end.get(tp) > begin.get(tp)) {
                    remaining.put(tp, end.get(tp));
                }
            }
            long start = System.nanoTime();
            long deadline = start + timeout.toNanos();
            long last = start;
            long lastProgress = start;
            while (!remaining.isEmpty()) {
                long now = System.nanoTime();
                if (now > deadline || now - lastProgress > TimeUnit.SECONDS.toNanos(30)) {
                    r.timedOut = true;
                    break;
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    continue;
                }
                last = lastProgress = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> rec : records) {
                    r.consumed++;
                    byte[] v = rec.value();
                    r.bytes += v == null ? 0 : v.length;
                    int k = v == null ? -1 : Payloads.producer(v);
                    long s = v == null ? -1 : Payloads.seq(v);
                    if (k >= 0 && k < n && s >= 0 && s < Integer.MAX_VALUE) {
                        if (seen[k].get((int) s)) {
                            r.duplicates++;
                        } else {
                            seen[k].set((int) s);
                        }
                    } else {
                        r.unackedExtra++;
                    }
                }
                for (TopicPartition tp : records.partitions()) {
                    Long target = remaining.get(tp);
                    if (target != null && consumer.position(tp) >= target) {
                        remaining.remove(tp);
                    }
                }
            }
            r.seconds = (last - start) / 1e9;
        } catch (RuntimeException e) {
            r.error = describe(e);
        }
        for (int k = 0; k < n; k++) {
            r.distinct += seen[k].cardinality();
            BitSet missing = (BitSet) acked[k].clone();
            missing.andNot(seen[k]);
            r.missingAcked += missing.cardinality();
            BitSet extra = (BitSet) seen[k].clone();
            extra.andNot(acked[k]);
            r.unackedExtra += extra.cardinality();
        }
        return r;
    }
}
