package dev.runnel.server;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** The routes every Runnel process serves: {@code /metrics} and {@code /ready}. */
public final class StandardRoutes {
    private StandardRoutes() {
    }

    public static Routes create(Readiness readiness) {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        return new Routes()
                .add("/metrics", request -> CompletableFuture.supplyAsync(() -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(16 * 1024);
                    try {
                        writer.write(out, PrometheusRegistry.defaultRegistry.scrape());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return HttpResponses.bytes(HttpResponseStatus.OK, writer.getContentType(), out.toByteArray());
                }))
                .add("/ready", request -> CompletableFuture.completedFuture(readiness.notReadyReason()
                        .map(reason -> HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, reason + "\n"))
                        .orElseGet(() -> HttpResponses.text(HttpResponseStatus.OK, "ready\n"))));
    }
}
