package dev.runnel.log.metadata;

/** A consumer group's committed position in one partition, as OffsetCommit carries it. */
public record CommittedOffset(long offset, int leaderEpoch, String metadata, long commitTimestamp) {
}
