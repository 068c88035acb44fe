package dev.runnel.log.agent;

import dev.runnel.log.fetch.PartitionReader;
import dev.runnel.log.fetch.RangeCache;
import dev.runnel.log.fetch.WatermarkNotifier;
import dev.runnel.log.group.GroupCoordinator;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.produce.ProduceBuffer;
import dev.runnel.log.produce.SegmentKeys;
import dev.runnel.log.retention.RetentionJob;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stateless Kafka-protocol agent: any agent serves any partition, because the data lives in
 * object storage and the log's state in the metadata store. Starting one binds the Kafka
 * listener, registers the agent as a broker node, and serves until {@link #close()}, which
 * flushes what is buffered before it returns.
 */
public final class KafkaAgent implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KafkaAgent.class);

    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService committer;
    private final ExecutorService metadataExecutor;
    private final Channel serverChannel;
    private final ClusterView cluster;
    private final ProduceBuffer produceBuffer;
    private final GroupCoordinator groups;
    private final ScheduledExecutorService retentionExecutor;
    private final RetentionJob retention;

    private KafkaAgent(AgentConfig config, ObjectStore objects, MetadataStore metadata, Time time) {
        scheduler = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("agent-timer", true));
        ((ScheduledThreadPoolExecutor) scheduler).setRemoveOnCancelPolicy(true);
        committer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("agent-committer", true));
        metadataExecutor = Executors.newFixedThreadPool(4, new DefaultThreadFactory("agent-metadata", true));
        bossGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        workerGroup = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());

        Map<ApiKeys, RequestHandler> handlers = new EnumMap<>(ApiKeys.class);
        ApiVersionsTable versions = new ApiVersionsTable();
        ZoneTraffic traffic = new ZoneTraffic(config.zone());
        // Bind before registering: the registration must carry the port actually bound. The
        // server socket accepts nothing until the handlers exist (AUTO_READ is turned on last).
        serverChannel = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        LengthFieldBasedFrameDecoder frames = new LengthFieldBasedFrameDecoder(config.maxFrameBytes(), 0, 4, 0, 4);
                        // A produce frame of megabytes gathered in one growing buffer outgrew the
                        // allocator's pools on every request; a composite keeps the socket's reads.
                        frames.setCumulator(ByteToMessageDecoder.COMPOSITE_CUMULATOR);
                        ch.pipeline().addLast(
                                new ConnectionCounter(AgentMetrics.INSTANCE),
                                frames,
                                new KafkaResponseEncoder(traffic),
                                new KafkaRequestDecoder(versions, traffic),
                                new RequestDispatcher(handlers, versions, AgentMetrics.INSTANCE));
                    }
                })
                .bind(config.listenHost(), config.port()).syncUninterruptibly().channel();
        int boundPort = ((InetSocketAddress) serverChannel.localAddress()).getPort();

        cluster = new ClusterView(metadata, config.advertisedHost(), boundPort, config.zone(), scheduler, metadataExecutor);
        TopicResolver topics = new TopicResolver(metadata);
        WatermarkNotifier notifier = new WatermarkNotifier();
        RangeCache ranges = new RangeCache(objects, config.cacheBytes());
        produceBuffer = new ProduceBuffer(config.produce(), objects, metadata, scheduler, committer, time,
                new SegmentKeys(time, cluster::nodeId), flush -> {
                    ranges.putCommitted(flush.objectKey(), flush.object());
                    notifier.committed(flush.advanced());
                });
        groups = new GroupCoordinator(metadata, time, scheduler);

        ClusterHandlers clusterHandlers = new ClusterHandlers(cluster, topics, metadata, versions, metadataExecutor,
                new ClusterHandlers.AutoCreate(config.autoCreateTopics(), config.defaultPartitions()));
        ProduceHandler produce = new ProduceHandler(topics, produceBuffer, AgentMetrics.INSTANCE);
        FetchHandler fetch = new FetchHandler(topics, new PartitionReader(metadata, ranges, metadataExecutor), notifier,
                scheduler, time, AgentMetrics.INSTANCE);
        ListOffsetsHandler listOffsets = new ListOffsetsHandler(topics, metadata, ranges, metadataExecutor);
        InitProducerIdHandler initProducerId = new InitProducerIdHandler(metadata, metadataExecutor);
        TopicAdminHandlers admin = new TopicAdminHandlers(metadata, topics, metadataExecutor, config.defaultPartitions());
        GroupHandlers group = new GroupHandlers(groups, cluster, metadataExecutor);

        register(handlers, versions, ApiKeys.API_VERSIONS, 4, clusterHandlers::apiVersions);
        register(handlers, versions, ApiKeys.METADATA, 13, clusterHandlers::metadata);
        register(handlers, versions, ApiKeys.DESCRIBE_CLUSTER, 2, clusterHandlers::describeCluster);
        register(handlers, versions, ApiKeys.FIND_COORDINATOR, 6, clusterHandlers::findCoordinator);
        register(handlers, versions, ApiKeys.PRODUCE, 13, produce::handle);
        register(handlers, versions, ApiKeys.INIT_PRODUCER_ID, 5, initProducerId::handle);
        register(handlers, versions, ApiKeys.FETCH, 17, fetch::handle);
        register(handlers, versions, ApiKeys.LIST_OFFSETS, 6, listOffsets::handle);
        register(handlers, versions, ApiKeys.CREATE_TOPICS, 7, admin::createTopics);
        register(handlers, versions, ApiKeys.DELETE_TOPICS, 6, admin::deleteTopics);
        register(handlers, versions, ApiKeys.DESCRIBE_CONFIGS, 4, admin::describeConfigs);
        register(handlers, versions, ApiKeys.JOIN_GROUP, GroupCoordinator.maxVersion(ApiKeys.JOIN_GROUP), group::joinGroup);
        register(handlers, versions, ApiKeys.SYNC_GROUP, GroupCoordinator.maxVersion(ApiKeys.SYNC_GROUP), group::syncGroup);
        register(handlers, versions, ApiKeys.HEARTBEAT, GroupCoordinator.maxVersion(ApiKeys.HEARTBEAT), group::heartbeat);
        register(handlers, versions, ApiKeys.LEAVE_GROUP, GroupCoordinator.maxVersion(ApiKeys.LEAVE_GROUP), group::leaveGroup);
        register(handlers, versions, ApiKeys.OFFSET_COMMIT, GroupCoordinator.maxVersion(ApiKeys.OFFSET_COMMIT), group::offsetCommit);
        register(handlers, versions, ApiKeys.OFFSET_FETCH, GroupCoordinator.maxVersion(ApiKeys.OFFSET_FETCH), group::offsetFetch);
        register(handlers, versions, ApiKeys.DESCRIBE_GROUPS, GroupCoordinator.maxVersion(ApiKeys.DESCRIBE_GROUPS), group::describeGroups);
        register(handlers, versions, ApiKeys.LIST_GROUPS, GroupCoordinator.maxVersion(ApiKeys.LIST_GROUPS), group::listGroups);

        // Retention deletes rows and objects: its own thread, so it never delays flush timers.
        retentionExecutor = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("agent-retention", true));
        retention = new RetentionJob(metadata, objects, time, config.retention());
        retention.start(retentionExecutor);

        serverChannel.config().setAutoRead(true);
        log.info("Kafka agent node {} listening on {}", cluster.nodeId(), serverChannel.localAddress());
    }

    private static void register(Map<ApiKeys, RequestHandler> handlers, ApiVersionsTable versions, ApiKeys api, int maxVersion,
                                 RequestHandler handler) {
        versions.add(api, maxVersion);
        handlers.put(api, handler);
    }

    public static KafkaAgent start(AgentConfig config, ObjectStore objects, MetadataStore metadata, Time time) {
        return new KafkaAgent(config, objects, metadata, time);
    }

    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    public int nodeId() {
        return cluster.nodeId();
    }

    /** Stops accepting requests, flushes and commits what is buffered, then stops. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        produceBuffer.close();
        retention.close();
        retentionExecutor.shutdownNow();
        groups.close();
        cluster.close();
        workerGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        bossGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        scheduler.shutdownNow();
        committer.shutdown();
        metadataExecutor.shutdown();
        log.info("Kafka agent node {} stopped", cluster.nodeId());
    }

    /** Counts open connections. */
    private static final class ConnectionCounter extends ChannelInboundHandlerAdapter {
        private final AgentMetrics metrics;

        ConnectionCounter(AgentMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            metrics.connectionOpened();
            ctx.fireChannelActive();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            metrics.connectionClosed();
            ctx.fireChannelInactive();
        }
    }
}
