package dev.runnel.distributor.http;

import dev.runnel.server.Tenants;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * What the push routes (remote write, OTLP) share: POST only, the tenant of a request, running
 * the push on the push executor off the event loop, and counting and timing the answers.
 */
final class PushRequests {

    /** Builds a route's own error answer (plain text, or OTLP's {@code google.rpc.Status}). */
    interface Failure {
        FullHttpResponse answer(int status, String message);
    }

    private final Tenants tenants;
    private final Executor executor;

    PushRequests(boolean multitenancy, Executor executor) {
        this.tenants = new Tenants(multitenancy);
        this.executor = executor;
    }

    /** The tenant of a POST to {@code path}; 405 for another method, 400/401 for a missing or bad tenant. */
    String tenant(FullHttpRequest request, String path) throws Rejected {
        if (!request.method().equals(HttpMethod.POST)) {
            throw new Rejected(405, path + " accepts only POST, not " + request.method());
        }
        try {
            return tenants.resolve(request.headers().get(Tenants.HEADER));
        } catch (Tenants.InvalidTenant e) {
            throw new Rejected(e.status(), e.getMessage());
        }
    }

    /**
     * Runs {@code push} on the push executor. When the executor refuses it (too many requests in
     * progress) the answer is 503, which senders retry; an unexpected exception is 500.
     */
    CompletableFuture<FullHttpResponse> offload(Supplier<CompletableFuture<FullHttpResponse>> push, Failure failure) {
        return CompletableFuture.supplyAsync(push, executor)
                .thenCompose(answer -> answer)
                .exceptionally(error -> {
                    Throwable cause = error.getCause() != null ? error.getCause() : error;
                    if (cause instanceof RejectedExecutionException) {
                        return failure.answer(503, "the distributor has too many push requests in progress; retry");
                    }
                    return failure.answer(500, "internal error: " + cause);
                });
    }

    /** Counts the answer by status and protocol once it completes, with the time since {@code startNanos}. */
    static CompletableFuture<FullHttpResponse> timed(CompletableFuture<FullHttpResponse> answer, String protocol, long startNanos) {
        return answer.whenComplete((response, error) -> HttpMetrics.INSTANCE.answered(
                response == null ? 500 : response.status().code(), protocol, System.nanoTime() - startNanos));
    }
}
