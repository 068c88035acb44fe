package dev.runnel.distributor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.xerial.snappy.Snappy;

/** Posts snappy-compressed remote-write messages to a distributor's push URL, as Prometheus does. */
public final class PushClient {
    public static final String RW1 = "application/x-protobuf";
    public static final String RW2 = "application/x-protobuf;proto=io.prometheus.write.v2.Request";

    private final URI pushUri;
    private final HttpClient client = HttpClient.newHttpClient();

    public PushClient(URI pushUri) {
        this.pushUri = pushUri;
    }

    /** Posts {@code message} of {@code tenant}; throws {@link java.net.http.HttpTimeoutException} after 10 s without an answer. */
    public HttpResponse<String> push(String tenant, String contentType, byte[] message) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(pushUri)
                .header("Content-Type", contentType).header("Content-Encoding", "snappy").header("X-Scope-OrgID", tenant)
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofByteArray(Snappy.compress(message))).build(), HttpResponse.BodyHandlers.ofString());
    }
}
