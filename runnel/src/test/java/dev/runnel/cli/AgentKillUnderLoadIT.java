package dev.runnel.cli;

import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.IngestLog;
import dev.runnel.distributor.PushClient;
import dev.runnel.distributor.TestRequests;
import dev.runnel.distributor.TestRequests.ReadSeries;
import dev.runnel.proto.prometheus.TimeSeries;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the agent while a separate distributor process takes a steady stream of remote
 * writes, and a restart of the agent on the same data directory. The clients behave like
 * Prometheus: they retry a request with backoff until it is answered 2xx.
 *
 * <p>What the design guarantees: a 2xx means every record of the request was acknowledged by the
 * log with {@code acks=all}, so no acknowledged sample is lost; the distributor's producer is
 * idempotent, so its own retries never write a record twice. A request answered 503 (the log
 * did not acknowledge within the remote timeout) may still have been written, since its
 * produce outlives the answer, and the client's retry then writes those samples a second time:
 * such a sample may be in the log as often as its request was sent, and no more.
 */
class AgentKillUnderLoadIT {
    private static final Logger log = LoggerFactory.getLogger(AgentKillUnderLoadIT.class);
    private static final int PARTITIONS = 2;
    private static final int CLIENTS = 3;
    private static final int SERIES_PER_REQUEST = 5;
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(2);

    /** Kept when the test fails: the processes' logs are in it. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    /** Attempts of each request (client, sequence), counted when it was acknowledged. */
    private final Map<Long, Integer> acknowledged = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    /** The answers that were not 2xx, for the assertion messages. */
    private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicLong slowestAnswerNanos = new AtomicLong();

    @Test
    void noAcknowledgedSampleIsLostAndOnlyRetriedOnesMayRepeat() throws Exception {
        try (RunnelProcess agent = new RunnelProcess("agent", dir.resolve("agent"), List.of("-agent.batch-timeout=50ms")).start();
             // The distributor writes only to partitions the ring has ACTIVE, and the ring is in its process' metadata
             // store: the ingester runs beside it (ingester-zone-a-0, partition 0), as everything but the agent would.
             RunnelProcess distributor = new RunnelProcess("distributor,ingester", dir.resolve("distributor"), List.of(
                     "-ingest-storage.kafka.address=" + agent.bootstrap(),
                     "-ingest-storage.kafka.auto-create-topic-default-partitions=" + PARTITIONS,
                     "-distributor.remote-timeout=" + REMOTE_TIMEOUT.toMillis() + "ms")).start()) {
            PushClient client = new PushClient(URI.create("http://127.0.0.1:" + distributor.httpPort + "/api/v1/push"));
            AtomicBoolean running = new AtomicBoolean(true);
            List<Thread> senders = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                Thread sender = new Thread(() -> send(client, id, running), "remote-write-client-" + c);
                sender.start();
                senders.add(sender);
            }
            awaitAcknowledged(150);
            int beforeKill = acknowledged.size();
            agent.kill();
            long killedAt = System.nanoTime();
            Thread.sleep(1500);
            agent.start();
            log.info("agent down for {} ms; {} requests acknowledged before the kill",
                    Duration.ofNanos(System.nanoTime() - killedAt).toMillis(), beforeKill);
            awaitAcknowledged(beforeKill + 150);
            running.set(false);
            for (Thread sender : senders) {
                sender.join();
            }

            Map<Sent, Integer> inLog = new HashMap<>();
            for (ReadSeries series : TestRequests.readAll(IngestLog.byTenant(
                    IngestLog.readAll(agent.bootstrap(), "ingest", PARTITIONS)).get("anonymous"))) {
                for (long timestamp : series.timestamps()) {
                    inLog.merge(new Sent(Integer.parseInt(series.labels().get("client")), timestamp), 1, Integer::sum);
                }
            }
            report(inLog);

            assertThat(answers.keySet()).as("statuses answered: %s", failures).allMatch(s -> s < 400 || s >= 500);
            assertThat(answers.getOrDefault(503, new AtomicLong()).get()).as("503s while the agent was down").isPositive();
            // The remote timeout runs from a push's arrival, but while the log is down the producer's send can
            // block for its whole max.block.ms (the remote timeout) however little of the push's time is left,
            // so an answer can take up to two timeouts; not a hang.
            assertThat(Duration.ofNanos(slowestAnswerNanos.get())).as("slowest answer")
                    .isLessThan(REMOTE_TIMEOUT.multipliedBy(2).plusSeconds(1));
            acknowledged.forEach((request, attempts) -> {
                Sent sent = new Sent((int) (request >> 32), (int) (long) request);
                assertThat(inLog.getOrDefault(sent, 0)).as("samples of %s, sent %d times, in the log", sent, attempts)
                        .isBetween(SERIES_PER_REQUEST, SERIES_PER_REQUEST * attempts);
            });
            assertThat(inLog.keySet()).as("samples in the log that no client sent")
                    .allMatch(sent -> acknowledged.containsKey(sent.key()));
        }
    }

    /** A request: the client that sent it and its sequence number, which is also the timestamp of its samples. */
    private record Sent(int client, long sequence) {
        long key() {
            return ((long) client << 32) | sequence;
        }
    }

    private void report(Map<Sent, Integer> inLog) {
        long retried = acknowledged.values().stream().filter(a -> a > 1).count();
        long repeated = inLog.entrySet().stream().filter(e -> e.getValue() > SERIES_PER_REQUEST).count();
        long repeatedOnFirstAttempt = inLog.entrySet().stream()
                .filter(e -> e.getValue() > SERIES_PER_REQUEST && acknowledged.getOrDefault(e.getKey().key(), 0) == 1).count();
        log.info("{} requests acknowledged, {} of them after a retry; answers {}; slowest {} ms; {} requests' samples in the log "
                        + "more than once ({} of them acknowledged at the first attempt)", acknowledged.size(), retried, answers,
                Duration.ofNanos(slowestAnswerNanos.get()).toMillis(), repeated, repeatedOnFirstAttempt);
    }

    /** Sends request after request, each retried with backoff until acknowledged, as Prometheus does. */
    private void send(PushClient client, int id, AtomicBoolean running) {
        for (int sequence = 1; running.get(); sequence++) {
            TimeSeries[] series = new TimeSeries[SERIES_PER_REQUEST];
            for (int s = 0; s < SERIES_PER_REQUEST; s++) {
                series[s] = series(List.of("__name__", "kill_load", "client", Integer.toString(id), "series", Integer.toString(s)),
                        sequence, sequence + s);
            }
            byte[] message = rw1(series).toByteArray();
            long backoffMillis = 50;
            for (int attempt = 1; ; attempt++) {
                long start = System.nanoTime();
                int status;
                try {
                    HttpResponse<String> response = client.push("anonymous", PushClient.RW1, message);
                    status = response.statusCode();
                    if (status / 100 != 2) {
                        failures.add(status + " " + response.body().strip());
                    }
                } catch (IOException e) {
                    status = -1; // no answer at all: the distributor hung or is gone
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                slowestAnswerNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                answers.computeIfAbsent(status, k -> new AtomicLong()).incrementAndGet();
                if (status / 100 == 2) {
                    acknowledged.put(new Sent(id, sequence).key(), attempt);
                    break;
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMillis = Math.min(1000, backoffMillis * 2);
            }
        }
    }

    private void awaitAcknowledged(int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (acknowledged.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("only " + acknowledged.size() + " of " + count + " requests acknowledged in 60 s; "
                        + "answers " + answers + ", last failures " + failures);
            }
            Thread.sleep(20);
        }
    }
}
