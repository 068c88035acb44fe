package dev.runnel.distributor.push;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.produce.PartitionRecord;
import dev.runnel.distributor.produce.RecordWriteException;
import dev.runnel.distributor.produce.RecordWriter;
import dev.runnel.distributor.record.IngestRecordEncoder;
import dev.runnel.distributor.record.RecordTooLargeException;
import dev.runnel.distributor.remotewrite.RemoteWriteVersion;
import dev.runnel.distributor.sharding.NoWritablePartitionException;
import dev.runnel.distributor.sharding.PartitionSelector;
import dev.runnel.distributor.sharding.Sharder;
import dev.runnel.distributor.write.WriteBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distributor's write path for one request, without HTTP: decode, run the stages in order,
 * shard the series that are left, encode a partition's series into records, write them, and
 * answer once the log has acknowledged every record or the remote timeout has passed.
 *
 * <p>A {@link PushVerdict.Stop} answers at once and writes nothing. A {@link PushVerdict.Partial}
 * is remembered: the series left are written, and then the request is answered 400 with the
 * first error, so the sender drops the bad data rather than retrying it. Failures of the log
 * that a retry may cure answer 503, which remote-write senders retry; others answer 500.
 *
 * <p>Decoding, the stages and encoding run on the calling thread, which must be allowed to
 * block briefly (the producer blocks while its buffer is full). Thread-safe.
 */
public final class PushPipeline {
    private static final Logger log = LoggerFactory.getLogger(PushPipeline.class);

    private final List<PushStage> stages;
    private final RecordWriter writer;
    private final Duration remoteTimeout;
    private final Time time;
    private final ThreadLocal<Worker> workers;

    /** The per-thread, reusable state of sharding and encoding. */
    private record Worker(Sharder sharder, IngestRecordEncoder encoder) {
    }

    public PushPipeline(List<PushStage> stages, PartitionSelector partitions, RecordWriter writer, int maxRecordBytes,
                        Duration remoteTimeout, Time time) {
        if (remoteTimeout.isNegative() || remoteTimeout.isZero()) {
            throw new IllegalArgumentException("remoteTimeout must be positive: " + remoteTimeout);
        }
        new IngestRecordEncoder(maxRecordBytes); // fails now, not on the first request, if the size is too small
        this.stages = List.copyOf(stages);
        this.writer = writer;
        this.remoteTimeout = remoteTimeout;
        this.time = time;
        this.workers = ThreadLocal.withInitial(() -> new Worker(new Sharder(partitions), new IngestRecordEncoder(maxRecordBytes)));
    }

    /** The pipeline's clock, in milliseconds: when a request arrives, for {@code receivedMillis}. */
    public long now() {
        return time.milliseconds();
    }

    /** Pushes an uncompressed remote-write message of {@code tenant} received now. Never completes exceptionally. */
    public CompletableFuture<PushResult> push(String tenant, RemoteWriteVersion version, byte[] message) {
        return push(tenant, version, message, now());
    }

    /**
     * Pushes an uncompressed remote-write message of {@code tenant}. Never completes exceptionally.
     *
     * @param receivedMillis when the request arrived, by {@link #now()}: the remote timeout runs from then,
     *                       so time spent queued for a push thread counts against it
     */
    public CompletableFuture<PushResult> push(String tenant, RemoteWriteVersion version, byte[] message, long receivedMillis) {
        WriteBatch batch;
        try {
            batch = version.decode(message);
        } catch (InvalidProtocolBufferException e) {
            return CompletableFuture.completedFuture(PushResult.failed(400,
                    "the body is not a valid " + version.message() + " message: " + e.getMessage()));
        }
        try {
            return push(tenant, batch, version.successStatus(), receivedMillis);
        } finally {
            batch.release(); // the records are encoded and the answer counted: nothing refers to the batch any more
        }
    }

    /** Pushes a decoded batch received at {@code receivedMillis}; {@code successStatus} answers it when everything was written. */
    public CompletableFuture<PushResult> push(String tenant, WriteBatch batch, int successStatus, long receivedMillis) {
        try {
            return write(tenant, batch, successStatus, receivedMillis);
        } catch (RuntimeException e) {
            log.warn("push of tenant {} failed", tenant, e);
            return CompletableFuture.completedFuture(PushResult.failed(500, "internal error: " + e));
        }
    }

    private CompletableFuture<PushResult> write(String tenant, WriteBatch batch, int successStatus, long receivedMillis) {
        long now = time.milliseconds();
        if (now - receivedMillis >= remoteTimeout.toMillis()) {
            return CompletableFuture.completedFuture(PushResult.failed(503, "the request waited "
                    + (now - receivedMillis) + " ms for a push thread, beyond -distributor.remote-timeout; retry"));
        }
        PushVerdict.Partial partial = null;
        int dropped = 0;
        for (PushStage stage : stages) {
            PushVerdict verdict = stage.apply(tenant, batch, now);
            if (verdict instanceof PushVerdict.Stop stop) {
                return CompletableFuture.completedFuture(PushResult.failed(stop.httpStatus(), stop.message()));
            }
            if (verdict instanceof PushVerdict.Partial p) {
                partial = partial == null ? p : partial;
                dropped += p.droppedSamples();
            }
        }

        Worker worker = workers.get();
        Sharder sharder = worker.sharder();
        try {
            sharder.shard(tenant, batch);
        } catch (NoWritablePartitionException e) {
            return CompletableFuture.completedFuture(PushResult.failed(503, e.getMessage() + "; retry"));
        }
        List<PartitionRecord> records = new ArrayList<>(sharder.partitions());
        try {
            for (int i = 0; i < sharder.partitions(); i++) {
                for (byte[] value : worker.encoder().encode(batch, sharder.series(i), sharder.seriesCount(i), sharder.metadata(i))) {
                    records.add(new PartitionRecord(sharder.partition(i), value));
                }
            }
        } catch (RecordTooLargeException e) {
            return CompletableFuture.completedFuture(PushResult.failed(400, e.getMessage()));
        }

        PushResult answer = answer(batch, successStatus, partial, dropped);
        int metadata = batch.metadata().size();
        // The remote timeout bounds the whole request: sending may already have blocked (on metadata or buffer memory).
        CompletableFuture<Void> written = writer.write(tenant, records);
        long left = Math.max(0, remoteTimeout.toMillis() - (time.milliseconds() - receivedMillis));
        return written.orTimeout(left, TimeUnit.MILLISECONDS)
                .handle((ok, error) -> {
                    if (error == null) {
                        PushMetrics.INSTANCE.received(tenant, answer.samplesWritten() + (long) answer.histogramsWritten(),
                                answer.exemplarsWritten(), metadata);
                        return answer;
                    }
                    return writeFailed(error instanceof CompletionException ? error.getCause() : error);
                });
    }

    /** The answer once the records are written: what they hold, and the partial rejection if there was one. */
    private static PushResult answer(WriteBatch batch, int successStatus, PushVerdict.Partial partial, int dropped) {
        int samples = 0, histograms = 0, exemplars = 0;
        for (int s = 0; s < batch.seriesCount(); s++) {
            if (batch.isDropped(s)) {
                continue;
            }
            int kept = 0;
            for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
                kept += batch.isSampleDropped(i) ? 0 : 1;
            }
            int h = batch.histogramCount(s);
            if (kept + h > 0) { // the encoder leaves out a series with nothing left, and its exemplars with it
                samples += kept;
                histograms += h;
                exemplars += batch.exemplarCount(s);
            }
        }
        if (partial == null) {
            return new PushResult(successStatus, "", samples, histograms, exemplars);
        }
        return new PushResult(400, partial.firstError() + " (" + dropped + " samples of this request were rejected; the rest were written)",
                samples, histograms, exemplars, dropped);
    }

    private PushResult writeFailed(Throwable error) {
        if (error instanceof TimeoutException) {
            return PushResult.failed(503, "the log did not acknowledge the write within -distributor.remote-timeout ("
                    + remoteTimeout.toMillis() + " ms); retry");
        }
        if (error instanceof RecordWriteException e) {
            return PushResult.failed(e.retriable() ? 503 : 500, e.getMessage());
        }
        log.warn("unexpected failure writing to the log", error);
        return PushResult.failed(500, "writing to the log failed: " + error);
    }
}
