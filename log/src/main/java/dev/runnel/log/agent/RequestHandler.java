package dev.runnel.log.agent;

import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Answers one kind of request. Runs on the connection's event loop, so it must not block: slow
 * work completes the returned future later. A null future means "send no response" (a Produce
 * with acks=0).
 */
@FunctionalInterface
interface RequestHandler {
    CompletableFuture<? extends ApiMessage> handle(RequestContext context, ApiMessage request);
}
