package dev.runnel.log.agent;

import dev.runnel.log.produce.ProduceConfig;
import dev.runnel.log.retention.RetentionConfig;

/**
 * How an agent listens and behaves.
 *
 * @param listenHost         address to bind the Kafka listener to
 * @param port               Kafka listener port; 0 picks a free one
 * @param advertisedHost     host clients are told to connect to
 * @param zone               availability zone, advertised as the broker rack
 * @param produce            flush window and write retries
 * @param cacheBytes         bound of the fetch path's cache of object ranges
 * @param maxFrameBytes      larger request frames close the connection
 * @param autoCreateTopics   whether a Metadata request creates unknown topics, as Kafka's default does
 * @param defaultPartitions  partitions of auto-created topics and of CreateTopics with -1
 * @param retention          how the agent's retention and object garbage collection job runs
 */
public record AgentConfig(String listenHost, int port, String advertisedHost, String zone, ProduceConfig produce,
                          long cacheBytes, int maxFrameBytes, boolean autoCreateTopics, int defaultPartitions,
                          RetentionConfig retention) {

    public static AgentConfig defaults() {
        return new AgentConfig("0.0.0.0", 9092, "127.0.0.1", "zone-a", ProduceConfig.DEFAULT, 256L << 20, 100 << 20, true, 1,
                RetentionConfig.DEFAULT);
    }

    public AgentConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535: " + port);
        }
        if (cacheBytes < 0) {
            throw new IllegalArgumentException("cacheBytes must not be negative: " + cacheBytes);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes must be at least 1024: " + maxFrameBytes);
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1: " + defaultPartitions);
        }
    }

    public AgentConfig withPort(int newPort) {
        return new AgentConfig(listenHost, newPort, advertisedHost, zone, produce, cacheBytes, maxFrameBytes, autoCreateTopics,
                defaultPartitions, retention);
    }

    public AgentConfig withProduce(ProduceConfig newProduce) {
        return new AgentConfig(listenHost, port, advertisedHost, zone, newProduce, cacheBytes, maxFrameBytes, autoCreateTopics,
                defaultPartitions, retention);
    }

    public AgentConfig withRetention(RetentionConfig newRetention) {
        return new AgentConfig(listenHost, port, advertisedHost, zone, produce, cacheBytes, maxFrameBytes, autoCreateTopics,
                defaultPartitions, newRetention);
    }
}
