package dev.runnel.log.group;

import dev.runnel.log.metadata.Topic;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * A single-node Kafka endpoint for tests, standing in for the agent: it speaks just enough of
 * the protocol (ApiVersions, Metadata, FindCoordinator, ListOffsets, an always-empty Fetch) for
 * a real KafkaConsumer to get to the {@link GroupCoordinator}, to which it hands every group API
 * request. One blocking thread per connection answers its requests in order, as Kafka does by
 * muting a connection while a request is parked.
 */
final class KafkaWireStub implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    private final GroupCoordinator coordinator;
    private final InMemoryMetadataStore store;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final Map<ApiKeys, Set<Short>> versionsSeen = new ConcurrentHashMap<>();

    KafkaWireStub(GroupCoordinator coordinator, InMemoryMetadataStore store) throws IOException {
        this.coordinator = coordinator;
        this.store = store;
        this.server = new ServerSocket(0, 50, InetAddress.getByName(HOST));
        threads.execute(this::accept);
    }

    /** The versions the clients used, per API. */
    Map<ApiKeys, Set<Short>> versionsSeen() {
        return versionsSeen;
    }

    String bootstrapServers() {
        return HOST + ":" + server.getLocalPort();
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = server.accept();
                sockets.add(socket);
                threads.execute(() -> serve(socket));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private void serve(Socket socket) {
        try (socket;
                DataInputStream in = new DataInputStream(socket.getInputStream());
                DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (true) {
                byte[] bytes = new byte[in.readInt()];
                in.readFully(bytes);
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                RequestHeader header = RequestHeader.parse(buffer);
                ApiMessage request = AbstractRequest.parseRequest(
                        header.apiKey(), header.apiVersion(), new ByteBufferAccessor(buffer)).request.data();
                ApiMessage response = handle(header, request, socket.getInetAddress().toString());
                ByteBuffer head = MessageUtil.toByteBufferAccessor(new ResponseHeaderData().setCorrelationId(header.correlationId()),
                        header.apiKey().responseHeaderVersion(header.apiVersion())).buffer();
                ByteBuffer body = MessageUtil.toByteBufferAccessor(response, header.apiVersion()).buffer();
                out.writeInt(head.remaining() + body.remaining());
                out.write(head.array(), head.arrayOffset() + head.position(), head.remaining());
                out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            sockets.remove(socket);
        }
    }

    private ApiMessage handle(RequestHeader header, ApiMessage request, String clientHost) {
        short version = header.apiVersion();
        versionsSeen.computeIfAbsent(header.apiKey(), k -> ConcurrentHashMap.newKeySet()).add(version);
        return switch (header.apiKey()) {
            case API_VERSIONS -> apiVersions();
            case METADATA -> metadata((MetadataRequestData) request);
            case FIND_COORDINATOR -> findCoordinator((FindCoordinatorRequestData) request, version);
            case LIST_OFFSETS -> listOffsets((ListOffsetsRequestData) request);
            case FETCH -> fetch((FetchRequestData) request);
            case JOIN_GROUP -> coordinator.joinGroup((JoinGroupRequestData) request, version, header.clientId(), clientHost).join();
            case SYNC_GROUP -> coordinator.syncGroup((SyncGroupRequestData) request, version).join();
            case HEARTBEAT -> coordinator.heartbeat((HeartbeatRequestData) request, version);
            case LEAVE_GROUP -> coordinator.leaveGroup((LeaveGroupRequestData) request, version);
            case OFFSET_COMMIT -> coordinator.commitOffsets((OffsetCommitRequestData) request, version);
            case OFFSET_FETCH -> coordinator.fetchOffsets((OffsetFetchRequestData) request, version);
            case DESCRIBE_GROUPS -> coordinator.describeGroups((DescribeGroupsRequestData) request, version);
            case LIST_GROUPS -> coordinator.listGroups((ListGroupsRequestData) request, version);
            default -> throw new IllegalStateException("the stub does not serve " + header.apiKey());
        };
    }

    private static ApiVersionsResponseData apiVersions() {
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        for (ApiKeys api : List.of(ApiKeys.API_VERSIONS, ApiKeys.METADATA, ApiKeys.FIND_COORDINATOR,
                ApiKeys.LIST_OFFSETS, ApiKeys.FETCH)) {
            response.apiKeys().add(new ApiVersion().setApiKey(api.id).setMinVersion(api.oldestVersion())
                    .setMaxVersion(api.latestVersion()));
        }
        for (ApiKeys api : List.of(ApiKeys.JOIN_GROUP, ApiKeys.SYNC_GROUP, ApiKeys.HEARTBEAT, ApiKeys.LEAVE_GROUP,
                ApiKeys.OFFSET_COMMIT, ApiKeys.OFFSET_FETCH, ApiKeys.DESCRIBE_GROUPS, ApiKeys.LIST_GROUPS)) {
            response.apiKeys().add(new ApiVersion().setApiKey(api.id).setMinVersion(api.oldestVersion())
                    .setMaxVersion(GroupCoordinator.maxVersion(api)));
        }
        return response;
    }

    private MetadataResponseData metadata(MetadataRequestData request) {
        MetadataResponseData response = new MetadataResponseData().setClusterId("stub").setControllerId(0);
        response.brokers().add(new MetadataResponseData.MetadataResponseBroker()
                .setNodeId(0).setHost(HOST).setPort(server.getLocalPort()));
        List<String> names = request.topics() == null ? store.topics().stream().map(Topic::name).toList()
                : request.topics().stream().map(MetadataRequestData.MetadataRequestTopic::name).toList();
        for (String name : names) {
            MetadataResponseData.MetadataResponseTopic topic = new MetadataResponseData.MetadataResponseTopic().setName(name);
            store.topic(name).ifPresentOrElse(t -> {
                topic.setTopicId(t.id());
                for (int p = 0; p < t.partitionCount(); p++) {
                    topic.partitions().add(new MetadataResponseData.MetadataResponsePartition()
                            .setPartitionIndex(p).setLeaderId(0).setReplicaNodes(List.of(0)).setIsrNodes(List.of(0)));
                }
            }, () -> topic.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
            response.topics().add(topic);
        }
        return response;
    }

    private FindCoordinatorResponseData findCoordinator(FindCoordinatorRequestData request, short version) {
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (version < 4) {
            return response.setNodeId(0).setHost(HOST).setPort(server.getLocalPort());
        }
        for (String key : request.coordinatorKeys()) {
            response.coordinators().add(new FindCoordinatorResponseData.Coordinator()
                    .setKey(key).setNodeId(0).setHost(HOST).setPort(server.getLocalPort()));
        }
        return response;
    }

    private static ListOffsetsResponseData listOffsets(ListOffsetsRequestData request) {
        ListOffsetsResponseData response = new ListOffsetsResponseData();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : request.topics()) {
            ListOffsetsResponseData.ListOffsetsTopicResponse topicResponse =
                    new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(topic.name());
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                        .setPartitionIndex(partition.partitionIndex()).setOffset(0).setTimestamp(-1));
            }
            response.topics().add(topicResponse);
        }
        return response;
    }

    /** Every partition is empty: waits a little (a short long-poll) and answers no records. */
    private FetchResponseData fetch(FetchRequestData request) {
        try {
            Thread.sleep(Math.min(request.maxWaitMs(), 50));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        FetchResponseData response = new FetchResponseData();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            FetchResponseData.FetchableTopicResponse topicResponse = new FetchResponseData.FetchableTopicResponse()
                    .setTopic(topic.topic()).setTopicId(topic.topicId());
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                topicResponse.partitions().add(new FetchResponseData.PartitionData()
                        .setPartitionIndex(partition.partition())
                        .setHighWatermark(0).setLastStableOffset(0).setLogStartOffset(0)
                        .setRecords(MemoryRecords.EMPTY));
            }
            response.responses().add(topicResponse);
        }
        return response;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
        threads.shutdownNow();
    }
}
