package dev.runnel.log.metadata;

/** The first offset still in the log and the offset the next committed record will get. */
public record PartitionOffsets(long logStartOffset, long highWatermark) {
}
