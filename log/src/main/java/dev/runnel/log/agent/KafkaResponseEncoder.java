package dev.runnel.log.agent;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/** Writes a response as a Kafka frame: size, response header, body. */
final class KafkaResponseEncoder extends MessageToMessageEncoder<KafkaResponse> {
    private final ZoneTraffic traffic;

    KafkaResponseEncoder(ZoneTraffic traffic) {
        this.traffic = traffic;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse response, List<Object> out) {
        short headerVersion = response.request().apiKey().responseHeaderVersion(response.version());
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.request().correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + response.body().size(cache, response.version());
        // Straight into Netty's buffers: fetch responses carry megabytes of records.
        ChunkedWritable frame = new ChunkedWritable(ctx.alloc(), 4 + size);
        try {
            frame.writeInt(size);
            header.write(frame, cache, headerVersion);
            response.body().write(frame, cache, response.version());
        } catch (RuntimeException e) {
            frame.discard();
            throw e;
        }
        ByteBuf bytes = frame.finish();
        if (bytes.readableBytes() != 4 + size) {
            int written = bytes.readableBytes();
            bytes.release();
            throw new IllegalStateException(response.request().apiKey() + " response wrote " + written
                    + " bytes, its size said " + (4 + size));
        }
        out.add(bytes);
        traffic.sent(ctx.channel(), response.request(), 4 + size);
    }
}
