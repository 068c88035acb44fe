package dev.runnel.log.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.apache.kafka.common.requests.ResponseHeader;
import org.junit.jupiter.api.Test;

/**
 * Every API the agent advertises, at the oldest and the newest version it advertises, answers a
 * request with default field values with a response that parses at that version. A response the
 * agent cannot encode at some version (a field set that the version lacks) would otherwise only
 * show up as a client waiting forever.
 */
class ApiVersionSweepIT extends AgentTest {

    @Test
    void everyAdvertisedVersionAnswers() throws IOException {
        List<String> failures = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", agent.port())) {
            socket.setSoTimeout(10_000);
            ApiVersionsResponseData advertised = new ApiVersionsResponseData();
            advertised.read(new ByteBufferAccessor(roundTrip(socket, ApiKeys.API_VERSIONS, (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("sweep").setClientSoftwareVersion("1"))), (short) 3);
            assertThat(advertised.apiKeys()).hasSizeGreaterThanOrEqualTo(19);
            for (ApiVersionsResponseData.ApiVersion api : advertised.apiKeys()) {
                ApiKeys key = ApiKeys.forId(api.apiKey());
                for (short version : new short[] {api.minVersion(), api.maxVersion()}) {
                    try {
                        ApiMessage response = key.messageType.newResponse();
                        response.read(new ByteBufferAccessor(roundTrip(socket, key, version, request(key))), version);
                    } catch (IOException | RuntimeException e) {
                        failures.add(key + " v" + version + ": " + e);
                        socket.close();
                        assertThat(failures).as("the agent closed the connection or did not answer").isEmpty();
                    }
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** A request with default fields, except acks=all for Produce: acks=0 is rightly never answered. */
    private static ApiMessage request(ApiKeys key) {
        ApiMessage request = key.messageType.newRequest();
        if (request instanceof org.apache.kafka.common.message.ProduceRequestData produce) {
            produce.setAcks((short) -1);
        }
        return request;
    }

    private static int correlationId;

    private static ByteBuffer roundTrip(Socket socket, ApiKeys api, short version, ApiMessage body) throws IOException {
        int correlation = ++correlationId;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setCorrelationId(correlation).setClientId("sweep");
        short headerVersion = api.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size).putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        socket.getOutputStream().write(frame.array());
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] response = new byte[in.readInt()];
        in.readFully(response);
        ByteBuffer buffer = ByteBuffer.wrap(response);
        assertThat(ResponseHeader.parse(buffer, api.responseHeaderVersion(version)).correlationId()).isEqualTo(correlation);
        return buffer;
    }
}
