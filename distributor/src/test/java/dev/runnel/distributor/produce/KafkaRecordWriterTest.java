package dev.runnel.distributor.produce;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaRecordWriterTest {

    /**
     * Found by AgentKillUnderLoadIT: with the log down, each send blocks for max.block.ms and then
     * fails through its callback without throwing, so a request of several records blocked that
     * long once per record.
     */
    @Test
    void stopsSendingOnceARecordOfTheRequestFailed() {
        AtomicInteger sends = new AtomicInteger();
        MockProducer<byte[], byte[]> noMetadata = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                sends.incrementAndGet();
                TimeoutException error = new TimeoutException("Topic ingest not present in metadata after 2000 ms.");
                callback.onCompletion(null, error);
                return CompletableFuture.failedFuture(error);
            }
        };
        KafkaRecordWriter writer = new KafkaRecordWriter(noMetadata, "ingest");

        CompletableFuture<Void> written = writer.write("t1", List.of(new PartitionRecord(0, new byte[] {1}),
                new PartitionRecord(1, new byte[] {1}), new PartitionRecord(2, new byte[] {1})));

        assertThat(written).failsWithin(Duration.ofSeconds(5)).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(RecordWriteException.class, e -> assertThat(e.retriable()).isTrue());
        assertThat(sends).hasValue(1);
    }
}
