package dev.runnel.distributor.produce;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Writes the log records of one request to the ingest topic. */
public interface RecordWriter {

    /**
     * Sends every record, keyed by {@code tenant}, to its partition. The future completes when
     * the log has acknowledged all of them, or exceptionally with a {@link RecordWriteException}
     * at the first that fails.
     */
    CompletableFuture<Void> write(String tenant, List<PartitionRecord> records);
}
