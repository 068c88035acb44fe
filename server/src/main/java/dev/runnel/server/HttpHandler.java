package dev.runnel.server;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import java.util.concurrent.CompletableFuture;

/** Answers the requests of one route. Runs on an event loop: it must not block. */
@FunctionalInterface
public interface HttpHandler {
    CompletableFuture<FullHttpResponse> handle(FullHttpRequest request);
}
