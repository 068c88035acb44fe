package dev.runnel.distributor.http;

import dev.runnel.distributor.push.PushPipeline;
import dev.runnel.distributor.push.PushResult;
import dev.runnel.distributor.remotewrite.RemoteWriteVersion;
import dev.runnel.server.HttpHandler;
import dev.runnel.server.HttpResponses;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code POST /api/v1/push}: Prometheus remote write 1.0 and 2.0. Reads the tenant, the
 * protocol and the snappy body, and hands the rest to the {@link PushPipeline} on the push
 * executor, off the event loop. Answers are plain text; a 2.0 answer says in headers how many
 * samples, histograms and exemplars were written.
 */
public final class PushHandler implements HttpHandler {

    public static final String PATH = "/api/v1/push";
    static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
    static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
    static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";

    private final PushPipeline pipeline;
    private final PushRequests requests;
    private final int maxRecvMsgSize;

    /**
     * @param maxRecvMsgSize largest uncompressed body accepted; larger ones are answered 413
     * @param executor       runs decompression and the pipeline; it may refuse work when overloaded
     */
    public PushHandler(PushPipeline pipeline, boolean multitenancy, int maxRecvMsgSize, Executor executor) {
        this.pipeline = pipeline;
        this.requests = new PushRequests(multitenancy, executor);
        this.maxRecvMsgSize = maxRecvMsgSize;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(FullHttpRequest request) {
        long start = System.nanoTime();
        HttpHeaders headers = request.headers();
        String protocol = "unknown";
        CompletableFuture<FullHttpResponse> answer;
        try {
            String tenant = requests.tenant(request, PATH);
            RemoteWriteVersion version = ContentTypes.version(headers.get(HttpHeaderNames.CONTENT_TYPE),
                    headers.get(ContentTypes.VERSION_HEADER));
            protocol = version.label();
            ContentTypes.checkEncoding(headers.get(HttpHeaderNames.CONTENT_ENCODING));
            if (!request.content().isReadable()) {
                throw new Rejected(400, "the request body is empty");
            }
            byte[] compressed = ByteBufUtil.getBytes(request.content());
            long received = pipeline.now();
            answer = requests.offload(() -> push(tenant, version, compressed, received).thenApply(result -> response(version, result)),
                    PushHandler::text);
        } catch (Rejected e) {
            answer = CompletableFuture.completedFuture(text(e.status, e.getMessage()));
        }
        return PushRequests.timed(answer, protocol, start);
    }

    private CompletableFuture<PushResult> push(String tenant, RemoteWriteVersion version, byte[] compressed, long received) {
        try {
            return pipeline.push(tenant, version, SnappyBodies.decompress(compressed, maxRecvMsgSize), received);
        } catch (Rejected e) {
            return CompletableFuture.completedFuture(new PushResult(e.status, e.getMessage(), 0, 0, 0));
        }
    }

    private static FullHttpResponse response(RemoteWriteVersion version, PushResult result) {
        FullHttpResponse response = result.message().isEmpty()
                ? empty(HttpResponseStatus.valueOf(result.status()))
                : text(result.status(), result.message());
        if (version == RemoteWriteVersion.V2) {
            response.headers()
                    .setInt(SAMPLES_WRITTEN, result.samplesWritten())
                    .setInt(HISTOGRAMS_WRITTEN, result.histogramsWritten())
                    .setInt(EXEMPLARS_WRITTEN, result.exemplarsWritten());
        }
        return response;
    }

    private static FullHttpResponse empty(HttpResponseStatus status) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
        if (status.code() != 204) {
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        return response;
    }

    private static FullHttpResponse text(int status, String message) {
        return HttpResponses.text(HttpResponseStatus.valueOf(status), message + "\n");
    }
}
