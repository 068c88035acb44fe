package dev.runnel.log.agent;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import java.nio.ByteBuffer;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Writes a response as a Kafka frame: size, response header, body. */
final class KafkaResponseEncoder extends MessageToByteEncoder<KafkaResponse> {
    private final ZoneTraffic traffic;

    KafkaResponseEncoder(ZoneTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse response, ByteBuf out) {
        short headerVersion = response.request().apiKey().responseHeaderVersion(response.version());
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.request().correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + response.body().size(cache, response.version());
        // Serialize straight into Netty's buffer: fetch responses carry megabytes of records.
        out.ensureWritable(4 + size);
        ByteBuffer frame = out.nioBuffer(out.writerIndex(), 4 + size);
        frame.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        header.write(accessor, cache, headerVersion);
        response.body().write(accessor, cache, response.version());
        if (frame.hasRemaining()) {
            throw new IllegalStateException(response.request().apiKey() + " response wrote " + frame.position()
                    + " bytes, its size said " + (4 + size));
        }
        out.writerIndex(out.writerIndex() + 4 + size);
        traffic.sent(ctx.channel(), response.request(), 4 + size);
    }
}
