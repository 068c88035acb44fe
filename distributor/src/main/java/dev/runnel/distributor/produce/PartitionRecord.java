package dev.runnel.distributor.produce;

/** One log record's value (see RECORDS.md) and the partition it goes to. */
public record PartitionRecord(int partition, byte[] value) {
}
