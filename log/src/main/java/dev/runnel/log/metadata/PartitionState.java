package dev.runnel.log.metadata;

import java.util.List;

/** A partition's offsets as one commit changes them, and the index entry it is building. */
final class PartitionState {

    /** Adjacent accepted batches of one partition, becoming one index entry. */
    static final class Run {
        final String objectKey;
        final String topicId;
        final int partition;
        final long baseOffset;
        long lastOffset;
        final int position;
        int size;
        long maxTimestamp;

        Run(String objectKey, String topicId, int partition, long baseOffset, long lastOffset, int position, int size,
            long maxTimestamp) {
            this.objectKey = objectKey;
            this.topicId = topicId;
            this.partition = partition;
            this.baseOffset = baseOffset;
            this.lastOffset = lastOffset;
            this.position = position;
            this.size = size;
            this.maxTimestamp = maxTimestamp;
        }
    }

    final String topicId;
    final int partition;
    final long logStartOffset;
    final long storedNextOffset;
    long nextOffset;
    private Run run;

    PartitionState(String topicId, int partition, long logStartOffset, long nextOffset) {
        this.topicId = topicId;
        this.partition = partition;
        this.logStartOffset = logStartOffset;
        this.storedNextOffset = nextOffset;
        this.nextOffset = nextOffset;
    }

    /**
     * Adds the batch, appended at {@code baseOffset} from {@code objectKey}, to the run it is
     * adjacent to in the same object, or closes that run and starts one.
     */
    void extendRun(List<Run> done, String objectKey, BatchAppend batch, long baseOffset) {
        long lastOffset = baseOffset + batch.offsetCount() - 1;
        if (run != null && run.objectKey.equals(objectKey) && (long) run.position + run.size == batch.position()) {
            run.lastOffset = lastOffset;
            run.size += batch.size();
            run.maxTimestamp = Math.max(run.maxTimestamp, batch.maxTimestamp());
        } else {
            closeRun(done);
            run = new Run(objectKey, topicId, partition, baseOffset, lastOffset, batch.position(), batch.size(),
                    batch.maxTimestamp());
        }
    }

    /** Adds the run being built, if any, to {@code done}. */
    void closeRun(List<Run> done) {
        if (run != null) {
            done.add(run);
            run = null;
        }
    }
}
