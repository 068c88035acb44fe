package dev.runnel.distributor.http;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.otlp.OtlpContentType;
import dev.runnel.distributor.otlp.OtlpFormatException;
import dev.runnel.distributor.otlp.OtlpOptions;
import dev.runnel.distributor.otlp.OtlpRequestDecoder;
import dev.runnel.distributor.otlp.OtlpResponse;
import dev.runnel.distributor.otlp.OtlpResponses;
import dev.runnel.distributor.otlp.OtlpTranslation;
import dev.runnel.distributor.otlp.OtlpTranslator;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushPipeline;
import dev.runnel.distributor.push.PushResult;
import dev.runnel.server.HttpHandler;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /otlp/v1/metrics}: OTLP/HTTP metrics (protobuf or JSON, gzip or not). Decodes and
 * translates the request with the tenant's OTLP options on the push executor, counts the data
 * points translation rejected as {@code otlp_invalid}, and pushes the rest through the same
 * {@link PushPipeline} as remote write. Answers are OTLP's (see {@link OtlpResponses}): a
 * rejection by the stages of some samples while the rest was written is a partial success
 * (200), as the OTLP specification asks; 429 stays 429; server failures are 503.
 */
public final class OtlpHandler implements HttpHandler {

    public static final String PATH = "/otlp/v1/metrics";
    /** The discard reason of data points that OTLP translation rejected. */
    static final String INVALID = "otlp_invalid";

    private final PushPipeline pipeline;
    private final PushRequests requests;
    private final int maxRecvMsgSize;
    private final TenantLimits limits;
    private final DiscardCounters discards;

    /**
     * @param maxRecvMsgSize largest body accepted once decompressed; larger ones are answered 413
     * @param executor       runs decoding, translation and the pipeline; it may refuse work when overloaded
     * @param limits         the tenants' OTLP translation switches ({@code otel_*} limits)
     */
    public OtlpHandler(PushPipeline pipeline, boolean multitenancy, int maxRecvMsgSize, Executor executor,
                       TenantLimits limits, DiscardCounters discards) {
        this.pipeline = pipeline;
        this.requests = new PushRequests(multitenancy, executor);
        this.maxRecvMsgSize = maxRecvMsgSize;
        this.limits = limits;
        this.discards = discards;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        long start = System.nanoTime();
        String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
        String contentEncoding = request.headers().get(HttpHeaderNames.CONTENT_ENCODING);
        OtlpContentType answerType = OtlpContentType.forResponse(contentType);
        PushRequests.Failure failure = (status, message) -> OtlpResponses.failure(answerType, status, message).toHttpResponse();
        CompletableFuture<FullHttpResponse> answer;
        try {
            String tenant = requests.tenant(request, PATH);
            byte[] body = ByteBufUtil.getBytes(request.content());
            long received = pipeline.now();
            answer = requests.offload(() -> push(tenant, body, contentType, contentEncoding, answerType, received)
                    .thenApply(OtlpResponse::toHttpResponse), failure);
        } catch (Rejected e) {
            answer = CompletableFuture.completedFuture(failure.answer(e.status, e.getMessage()));
        }
        return PushRequests.timed(answer, "otlp", start);
    }

    private CompletableFuture<OtlpResponse> push(String tenant, byte[] body, String contentType, String contentEncoding,
                                                 OtlpContentType answerType, long received) {
        ExportMetricsServiceRequest request;
        try {
            request = OtlpRequestDecoder.decode(body, contentType, contentEncoding, maxRecvMsgSize);
        } catch (OtlpFormatException e) {
            return CompletableFuture.completedFuture(OtlpResponses.failure(answerType, e));
        }
        OtlpTranslation translation = OtlpTranslator.translate(request, options(limits.forTenant(tenant)));
        discards.samples(INVALID, tenant, translation.rejectedDataPoints());
        if (translation.batch().seriesCount() == 0) {
            return CompletableFuture.completedFuture(OtlpResponses.forTranslation(answerType, translation));
        }
        return pipeline.push(tenant, translation.batch(), 200, received).thenApply(result -> answer(answerType, translation, result));
    }

    private static OtlpResponse answer(OtlpContentType type, OtlpTranslation translation, PushResult result) {
        if (result.succeeded()) {
            return OtlpResponses.forTranslation(type, translation);
        }
        if (result.partiallyWritten()) {
            // The stages' count is of samples (a histogram point is several), the closest OTLP's count can get.
            String first = translation.firstError() != null ? translation.firstError() : result.message();
            return OtlpResponses.partialSuccess(type, translation.rejectedDataPoints() + (long) result.samplesRejected(), first);
        }
        return OtlpResponses.failure(type, result.status(), result.message());
    }

    static OtlpOptions options(Limits l) {
        return new OtlpOptions(l.otelMetricSuffixesEnabled(), false, l.promoteOtelResourceAttributes(),
                l.otelKeepIdentifyingResourceAttributes(), l.otelConvertHistogramsToNhcb(), l.otelPromoteScopeMetadata());
    }
}
