package dev.runnel.log.agent;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Turns one Kafka frame (the 4-byte size already stripped) into a {@link KafkaRequest} with
 * kafka-clients' generated message classes.
 *
 * <p>The frame is copied to a heap buffer because produce requests keep slices of it (their
 * record batches) after this decoder has released the frame. An unknown API key, an API
 * version the agent does not serve or an unreadable body fails with
 * {@link CorruptedFrameException}, which closes the connection as a Kafka broker does. The one
 * exception is ApiVersions at a version the agent does not know: clients probe with their
 * newest version and expect an UNSUPPORTED_VERSION answer they can read, so that request is
 * passed on with an empty body.
 */
final class KafkaRequestDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final ApiVersionsTable versions;
    private final ZoneTraffic traffic;

    KafkaRequestDecoder(ApiVersionsTable versions, ZoneTraffic traffic) {
        this.versions = versions;
        this.traffic = traffic;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        ByteBuffer buffer = ByteBuffer.allocate(frame.readableBytes());
        frame.readBytes(buffer);
        buffer.flip();
        RequestHeader header = parseHeader(buffer);
        traffic.received(ctx.channel(), header, 4 + buffer.limit()); // the whole frame, its size field included
        ApiKeys api = header.apiKey();
        short version = header.apiVersion();
        if (!versions.supports(api, version)) {
            if (api == ApiKeys.API_VERSIONS) {
                out.add(new KafkaRequest(header, new ApiVersionsRequestData()));
                return;
            }
            throw new CorruptedFrameException(api + " version " + version + " is not supported (supported: "
                    + versions.describe(api) + ")");
        }
        ApiMessage body = api.messageType.newRequest();
        try {
            body.read(new ByteBufferAccessor(buffer), version);
        } catch (RuntimeException e) {
            throw new CorruptedFrameException("malformed " + api + " v" + version + " request body: " + e.getMessage(), e);
        }
        out.add(new KafkaRequest(header, body));
    }

    private static RequestHeader parseHeader(ByteBuffer buffer) {
        if (buffer.remaining() < 8) {
            throw new CorruptedFrameException("frame of " + buffer.remaining() + " bytes is too short for a request header");
        }
        short apiKey = buffer.getShort(0);
        if (!ApiKeys.hasId(apiKey)) {
            throw new CorruptedFrameException("unknown API key " + apiKey);
        }
        try {
            return RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            throw new CorruptedFrameException("malformed request header: " + e.getMessage(), e);
        }
    }
}
