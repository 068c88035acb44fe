package dev.runnel.log.agent;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each decoded request to the handler of its API and queues the answer in request order.
 * One instance per connection.
 */
final class RequestDispatcher extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestDispatcher.class);

    private final Map<ApiKeys, RequestHandler> handlers;
    private final ApiVersionsTable versions;
    private final AgentMetrics metrics;
    private final ResponseOrderer orderer = new ResponseOrderer();

    RequestDispatcher(Map<ApiKeys, RequestHandler> handlers, ApiVersionsTable versions, AgentMetrics metrics) {
        this.handlers = handlers;
        this.versions = versions;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        KafkaRequest request = (KafkaRequest) msg;
        RequestHeader header = request.header();
        metrics.request(header.apiKey());
        long start = System.nanoTime();
        RequestContext context = new RequestContext(header, (InetSocketAddress) ctx.channel().remoteAddress());
        CompletableFuture<? extends ApiMessage> answer;
        try {
            answer = handlers.get(header.apiKey()).handle(context, request.body());
        } catch (RuntimeException e) {
            log.warn("{} v{} from {} failed; closing the connection", header.apiKey(), header.apiVersion(),
                    ctx.channel().remoteAddress(), e);
            ctx.close();
            return;
        }
        if (answer == null) {
            return;
        }
        ResponseOrderer.Slot slot = orderer.reserve();
        answer.whenComplete((body, error) -> ctx.executor().execute(() -> {
            metrics.answered(header.apiKey(), System.nanoTime() - start);
            if (error != null) {
                log.warn("{} v{} from {} failed; closing the connection", header.apiKey(), header.apiVersion(),
                        ctx.channel().remoteAddress(), error);
                ctx.close();
                return;
            }
            orderer.complete(ctx, slot, new KafkaResponse(header, body, responseVersion(header)));
        }));
    }

    /** ApiVersions answers a version it does not know at version 0, which every client can read. */
    private short responseVersion(RequestHeader header) {
        return versions.supports(header.apiKey(), header.apiVersion()) ? header.apiVersion() : 0;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (cause instanceof TooLongFrameException || reason instanceof TooLongFrameException) {
            metrics.rejectedFrame("too_large");
        } else if (cause instanceof DecoderException) {
            metrics.rejectedFrame("malformed");
        }
        log.info("closing Kafka connection from {}: {}", ctx.channel().remoteAddress(), reason.getMessage());
        ctx.close();
    }
}
