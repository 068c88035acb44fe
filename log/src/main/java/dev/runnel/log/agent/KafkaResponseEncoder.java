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

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse response, ByteBuf out) {
        short headerVersion = response.request().apiKey().responseHeaderVersion(response.version());
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.request().correlationId());
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + response.body().size(cache, response.version());
        ByteBuffer buffer = ByteBuffer.allocate(4 + size);
        buffer.putInt(size);
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        response.body().write(accessor, cache, response.version());
        buffer.flip();
        out.writeBytes(buffer);
    }
}
