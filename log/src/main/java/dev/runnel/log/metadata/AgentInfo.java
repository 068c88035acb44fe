package dev.runnel.log.metadata;

/** A live agent as clients see it: a Kafka broker node. */
public record AgentInfo(int nodeId, String host, int port, String zone) {
}
