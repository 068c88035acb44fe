package dev.runnel.distributor.produce;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.record.IngestRecordEncoder;
import dev.runnel.proto.prometheus.write.v2.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory log for tests: remembers what was written and answers as told. */
public final class FakeRecordWriter implements RecordWriter {

    public record Write(String tenant, List<PartitionRecord> records) {
    }

    private final List<Write> writes = new CopyOnWriteArrayList<>();
    private volatile RecordWriteException failure;
    private volatile boolean hang;

    /** Forgets what was written and acknowledges every later write. */
    public void reset() {
        writes.clear();
        failure = null;
        hang = false;
    }

    /** Every later write fails with this error. */
    public FakeRecordWriter failWith(RecordWriteException error) {
        this.failure = error;
        return this;
    }

    /** Every later write is never acknowledged. */
    public FakeRecordWriter hang() {
        this.hang = true;
        return this;
    }

    @Override
    public CompletableFuture<Void> write(String tenant, List<PartitionRecord> records) {
        writes.add(new Write(tenant, List.copyOf(records)));
        if (hang) {
            return new CompletableFuture<>();
        }
        return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(null);
    }

    public List<Write> writes() {
        return writes;
    }

    /** Every record written so far, decoded. */
    public List<Request> requests() {
        List<Request> out = new ArrayList<>();
        for (Write w : writes) {
            for (PartitionRecord r : w.records()) {
                out.add(decode(r.value()));
            }
        }
        return out;
    }

    public static Request decode(byte[] record) {
        if (record[0] != IngestRecordEncoder.FORMAT_VERSION) {
            throw new AssertionError("record version " + record[0]);
        }
        try {
            return Request.parseFrom(Arrays.copyOfRange(record, 1, record.length));
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
