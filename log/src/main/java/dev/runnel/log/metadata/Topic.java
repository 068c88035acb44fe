package dev.runnel.log.metadata;

import java.util.Map;
import org.apache.kafka.common.Uuid;

/** A topic: its name, its Kafka topic id, its partition count and its configs as set at creation. */
public record Topic(String name, Uuid id, int partitionCount, Map<String, String> configs) {
    public Topic {
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1: " + partitionCount);
        }
        configs = Map.copyOf(configs);
    }
}
