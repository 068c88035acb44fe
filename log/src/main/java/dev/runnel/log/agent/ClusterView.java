package dev.runnel.log.agent;

import dev.runnel.log.metadata.AgentInfo;
import dev.runnel.log.metadata.MetadataStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This agent's registration in the metadata store and its view of the live agents.
 *
 * <p>Every agent serves every partition, so a client is told that the agent it asked leads all
 * partitions: it sends all its produce and fetch traffic to the agent it bootstrapped from, and
 * fails over to any other agent it knows from the broker list. The broker list (all live agents)
 * also decides which agent coordinates a consumer group: the group id hashes onto it.
 */
final class ClusterView implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterView.class);
    static final long HEARTBEAT_MILLIS = 2_000;
    static final long EXPIRY_MILLIS = 10_000;

    private final MetadataStore metadata;
    private final String host;
    private final int port;
    private final String zone;
    private final int nodeId;
    private volatile List<AgentInfo> live;
    private final java.util.concurrent.ScheduledFuture<?> heartbeat;

    ClusterView(MetadataStore metadata, String host, int port, String zone, ScheduledExecutorService scheduler,
                java.util.concurrent.Executor metadataExecutor) {
        this.metadata = metadata;
        this.host = host;
        this.port = port;
        this.zone = zone;
        this.nodeId = metadata.registerAgent(-1, host, port, zone);
        this.live = withSelf(metadata.liveAgents(EXPIRY_MILLIS));
        this.heartbeat = scheduler.scheduleWithFixedDelay(() -> metadataExecutor.execute(this::refresh), HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        log.info("agent registered as node {} at {}:{} in zone {}", nodeId, host, port, zone);
    }

    private void refresh() {
        try {
            metadata.registerAgent(nodeId, host, port, zone);
            live = withSelf(metadata.liveAgents(EXPIRY_MILLIS));
        } catch (RuntimeException e) {
            log.warn("agent heartbeat to the metadata store failed: {}", e.toString());
        }
    }

    /** The agents as the metadata store last listed them, always including this one. */
    private List<AgentInfo> withSelf(List<AgentInfo> agents) {
        List<AgentInfo> all = new ArrayList<>(agents);
        if (all.stream().noneMatch(a -> a.nodeId() == nodeId)) {
            all.add(self());
            all.sort(Comparator.comparingInt(AgentInfo::nodeId));
        }
        return List.copyOf(all);
    }

    int nodeId() {
        return nodeId;
    }

    AgentInfo self() {
        return new AgentInfo(nodeId, host, port, zone);
    }

    List<AgentInfo> liveAgents() {
        return live;
    }

    /** The agent that coordinates {@code groupId}. */
    AgentInfo coordinatorFor(String groupId) {
        List<AgentInfo> agents = live;
        return agents.get(Utils.toPositive(Utils.murmur2(groupId.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % agents.size());
    }

    boolean coordinates(String groupId) {
        return coordinatorFor(groupId).nodeId() == nodeId;
    }

    @Override
    public void close() {
        heartbeat.cancel(false);
        try {
            metadata.deregisterAgent(nodeId);
        } catch (RuntimeException e) {
            log.warn("could not deregister agent {}: {}", nodeId, e.toString());
        }
    }
}
