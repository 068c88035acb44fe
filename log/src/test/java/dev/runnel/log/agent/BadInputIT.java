package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Broken frames close the connection; bad requests get Kafka error codes; and the agent keeps
 * serving everyone else throughout. Requests are written by hand on a plain socket.
 */
class BadInputIT extends AgentTest {
    @BeforeEach
    void createKnownTopic() {
        cluster.metadata().createTopic("known", 1, Map.of());
    }

    @Test
    void oversizedFrameClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(1 << 30);
            assertClosed(socket);
        }
        assertStillServing();
    }

    @Test
    void negativeFrameSizeClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            new DataOutputStream(socket.getOutputStream()).writeInt(-5);
            assertClosed(socket);
        }
        assertStillServing();
    }

    @Test
    void garbageBodyClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(12);
            out.writeShort(ApiKeys.METADATA.id);
            out.writeShort(12);
            out.writeInt(7);
            out.writeInt(0xFFFFFFFF); // a client id length that runs past the frame
            out.flush();
            assertClosed(socket);
        }
        assertStillServing();
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(10);
            out.writeShort(9999);
            out.writeShort(0);
            out.writeInt(1);
            out.writeShort(-1);
            out.flush();
            assertClosed(socket);
        }
        assertStillServing();
    }

    @Test
    void unsupportedApiVersionsVersionIsAnsweredAtVersionZero() throws IOException {
        try (Socket socket = connect()) {
            ByteBuffer response = roundTrip(socket, ApiKeys.API_VERSIONS, (short) 99, new ApiVersionsRequestData());
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            data.read(new ByteBufferAccessor(response), (short) 0);
            assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
            assertThat(data.apiKeys().find(ApiKeys.PRODUCE.id)).isNotNull();
        }
    }

    @Test
    void unsupportedVersionOfAnotherApiClosesTheConnection() throws IOException {
        try (Socket socket = connect()) {
            send(socket, ApiKeys.METADATA, (short) 99, new MetadataRequestData());
            assertClosed(socket);
        }
        assertStillServing();
    }

    @Test
    void unknownTopicGetsItsErrorCode() throws IOException {
        try (Socket socket = connect()) {
            MetadataRequestData request = new MetadataRequestData().setAllowAutoTopicCreation(false)
                    .setTopics(List.of(new MetadataRequestData.MetadataRequestTopic().setName("nope")));
            MetadataResponseData response = new MetadataResponseData();
            response.read(new ByteBufferAccessor(roundTrip(socket, ApiKeys.METADATA, (short) 12, request)), (short) 12);
            assertThat(response.topics().find("nope").errorCode()).isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
    }

    @Test
    void produceOfCorruptBatchIsRejectedWithCorruptMessage() throws IOException {
        MemoryRecords records = MemoryRecords.withRecords(org.apache.kafka.common.compress.Compression.NONE,
                new org.apache.kafka.common.record.internal.SimpleRecord("hello".getBytes()));
        ByteBuffer corrupt = records.buffer().duplicate();
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 0x5A));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName("known");
        topic.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(0)
                .setRecords(MemoryRecords.readableRecords(corrupt)));
        request.topicData().add(topic);
        try (Socket socket = connect()) {
            ProduceResponseData response = new ProduceResponseData();
            response.read(new ByteBufferAccessor(roundTrip(socket, ApiKeys.PRODUCE, (short) 11, request)), (short) 11);
            assertThat(response.responses().iterator().next().partitionResponses().get(0).errorCode())
                    .isEqualTo(Errors.CORRUPT_MESSAGE.code());
        }
        assertThat(cluster.metadata().offsets(new org.apache.kafka.common.TopicPartition("known", 0)).orElseThrow().highWatermark())
                .isZero();
    }

    @Test
    void fetchBeyondTheEndIsOffsetOutOfRange() throws IOException {
        FetchRequestData request = new FetchRequestData().setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20);
        request.topics().add(new FetchRequestData.FetchTopic().setTopic("known").setPartitions(List.of(
                new FetchRequestData.FetchPartition().setPartition(0).setFetchOffset(42).setPartitionMaxBytes(1 << 20))));
        try (Socket socket = connect()) {
            FetchResponseData response = new FetchResponseData();
            response.read(new ByteBufferAccessor(roundTrip(socket, ApiKeys.FETCH, (short) 12, request)), (short) 12);
            assertThat(response.responses().get(0).partitions().get(0).errorCode()).isEqualTo(Errors.OFFSET_OUT_OF_RANGE.code());
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", agent.port());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void send(Socket socket, ApiKeys api, short version, ApiMessage body) throws IOException {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(7).setClientId("bad-input-test");
        short headerVersion = version > api.latestVersion() ? api.requestHeaderVersion(api.latestVersion()) : api.requestHeaderVersion(version);
        short bodyVersion = (short) Math.min(version, api.latestVersion());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, bodyVersion);
        ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, bodyVersion);
        socket.getOutputStream().write(frame.array());
        socket.getOutputStream().flush();
    }

    private static ByteBuffer roundTrip(Socket socket, ApiKeys api, short version, ApiMessage body) throws IOException {
        send(socket, api, version, body);
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        ByteBuffer buffer = ByteBuffer.wrap(response);
        short responseVersion = version > api.latestVersion() ? 0 : version;
        ResponseHeader header = ResponseHeader.parse(buffer, api.responseHeaderVersion(responseVersion));
        assertThat(header.correlationId()).isEqualTo(7);
        return buffer;
    }

    private static void assertClosed(Socket socket) throws IOException {
        try {
            assertThat(socket.getInputStream().read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // A reset is a closed connection too.
        } catch (EOFException eof) {
            // Likewise.
        }
    }

    private void assertStillServing() throws IOException {
        try (Socket socket = connect()) {
            ApiVersionsResponseData data = new ApiVersionsResponseData();
            data.read(new ByteBufferAccessor(roundTrip(socket, ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                    .setClientSoftwareName("test").setClientSoftwareVersion("1"))), (short) 3);
            assertThat(data.errorCode()).isZero();
        }
    }
}
