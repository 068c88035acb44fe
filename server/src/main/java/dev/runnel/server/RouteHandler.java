package dev.runnel.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends each request to its route's handler; unknown paths get 404, handler failures 500. */
final class RouteHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(RouteHandler.class);

    private final Routes routes;

    RouteHandler(Routes routes) {
        this.routes = routes;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.BAD_REQUEST,
                    "malformed HTTP request: " + request.decoderResult().cause() + "\n"));
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpHandler handler = routes.find(path).orElse(null);
        if (handler == null) {
            respond(ctx, request, HttpResponses.text(HttpResponseStatus.NOT_FOUND, "no route for " + path + "\n"));
            return;
        }
        request.retain();
        handler.handle(request).whenComplete((response, error) -> {
            try {
                if (error != null) {
                    log.warn("handler for {} failed", path, error);
                    response = HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, error + "\n");
                }
                respond(ctx, request, response);
            } finally {
                request.release();
            }
        });
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var write = ctx.writeAndFlush(response);
        if (!keepAlive) {
            write.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Oversized bodies are answered 413 by the aggregator itself; anything else here is a
        // broken connection or request, so close it.
        log.debug("closing HTTP connection from {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
