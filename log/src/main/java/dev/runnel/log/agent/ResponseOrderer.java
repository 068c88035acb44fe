package dev.runnel.log.agent;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a connection's responses in request order, as the Kafka protocol requires: a client
 * matches each response to its oldest outstanding request. Requests finish out of order (a
 * metadata answer is instant, a produce waits for the next flush), so each request takes a
 * slot when it arrives and responses leave only from the head of the queue.
 *
 * <p>Used only on the channel's event loop.
 */
final class ResponseOrderer {
    /** A place in the queue; {@code response} stays null until the request is answered. */
    static final class Slot {
        private KafkaResponse response;
        private boolean done;
    }

    private static final Logger log = LoggerFactory.getLogger(ResponseOrderer.class);
    /** A response that cannot be encoded must not vanish: the client would wait for it forever. */
    private static final ChannelFutureListener ENCODE_FAILURE = future -> {
        if (!future.isSuccess() && future.channel().isOpen()) {
            log.warn("closing Kafka connection from {}: could not send a response", future.channel().remoteAddress(), future.cause());
            future.channel().close();
        }
    };

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    Slot reserve() {
        Slot slot = new Slot();
        slots.addLast(slot);
        return slot;
    }

    /** Fills {@code slot} and writes every answered response at the head of the queue. */
    void complete(ChannelHandlerContext ctx, Slot slot, KafkaResponse response) {
        slot.response = response;
        slot.done = true;
        boolean wrote = false;
        while (!slots.isEmpty() && slots.peekFirst().done) {
            Slot head = slots.pollFirst();
            if (head.response != null) {
                ctx.write(head.response).addListener(ENCODE_FAILURE);
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
    }

    int pending() {
        return slots.size();
    }
}
