package dev.runnel.distributor.http;

import static dev.runnel.distributor.TestRequests.expected;
import static dev.runnel.distributor.TestRequests.readAll;
import static dev.runnel.distributor.TestRequests.rw1;
import static dev.runnel.distributor.TestRequests.rw2;
import static dev.runnel.distributor.TestRequests.series;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.distributor.produce.FakeRecordWriter;
import dev.runnel.distributor.push.PushPipeline;
import dev.runnel.distributor.sharding.TopicPartitions;
import dev.runnel.proto.prometheus.TimeSeries;
import dev.runnel.server.HttpServer;
import dev.runnel.server.Routes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xerial.snappy.Snappy;

/** The push route over real HTTP, against an in-memory log. */
class PushHandlerTest {
    private static final String RW2_TYPE = "application/x-protobuf;proto=io.prometheus.write.v2.Request";
    private static final int MAX_RECV = 64 * 1024;
    private static final double STALE_NAN = Double.longBitsToDouble(0x7ff0000000000002L);

    // One server of each kind for the class: a server takes seconds to shut down gracefully.
    private static final FakeRecordWriter log = new FakeRecordWriter();
    private static final ExecutorService executor = Executors.newFixedThreadPool(2);
    private static HttpServer singleTenant;
    private static HttpServer multitenant;
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @BeforeAll
    static void startServers() {
        PushPipeline pipeline = new PushPipeline(List.of(), new TopicPartitions(3), log, 1 << 20, Duration.ofSeconds(5), Time.SYSTEM);
        singleTenant = HttpServer.start("127.0.0.1", 0,
                new Routes().add(PushHandler.PATH, new PushHandler(pipeline, false, MAX_RECV, executor)), 1 << 20);
        multitenant = HttpServer.start("127.0.0.1", 0,
                new Routes().add(PushHandler.PATH, new PushHandler(pipeline, true, MAX_RECV, executor)), 1 << 20);
    }

    @AfterAll
    static void stopServers() {
        singleTenant.close();
        multitenant.close();
        executor.shutdownNow();
    }

    @BeforeEach
    void resetLog() {
        log.reset();
    }

    private void start(boolean multitenancy) {
        server = multitenancy ? multitenant : singleTenant;
    }

    private static final TimeSeries SPECIAL = series(List.of("__name__", "special", "job", "x"),
            1, Double.NaN, 2, Double.POSITIVE_INFINITY, 3, Double.NEGATIVE_INFINITY, 4, STALE_NAN, 5, -0.0, 6, Double.MIN_VALUE);
    private static final TimeSeries OTHER = series(List.of("__name__", "up", "instance", "a:1"), 10, 1);

    private HttpResponse<String> post(byte[] body, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + PushHandler.PATH))
                .timeout(Duration.ofSeconds(10))
                .POST(body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] snappy(byte[] bytes) throws IOException {
        return Snappy.compress(bytes);
    }

    @Test
    void remoteWrite1IsAnswered200AndSpecialFloatsArriveBitForBit() throws Exception {
        start(false);
        HttpResponse<String> response = post(snappy(rw1(SPECIAL, OTHER).toByteArray()),
                "Content-Type", "application/x-protobuf", "Content-Encoding", "snappy",
                "X-Prometheus-Remote-Write-Version", "0.1.0");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue(PushHandler.SAMPLES_WRITTEN)).isEmpty();
        assertThat(readAll(log.requests())).containsExactlyInAnyOrder(expected(SPECIAL), expected(OTHER));
        assertThat(readAll(log.requests())).filteredOn(s -> s.labels().get("__name__").equals("special")).singleElement()
                .satisfies(s -> assertThat(s.valueBits()).contains(0x7ff0000000000002L, Double.doubleToRawLongBits(-0.0)));
        assertThat(log.writes()).extracting(FakeRecordWriter.Write::tenant).containsOnly("anonymous");
    }

    @Test
    void remoteWrite2IsAnswered204WithCountsInHeaders() throws Exception {
        start(false);
        HttpResponse<String> response = post(snappy(rw2(rw1(SPECIAL, OTHER)).toByteArray()),
                "Content-Type", RW2_TYPE, "Content-Encoding", "snappy", "X-Prometheus-Remote-Write-Version", "2.0.0");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.headers().firstValue(PushHandler.SAMPLES_WRITTEN)).hasValue("7");
        assertThat(response.headers().firstValue(PushHandler.HISTOGRAMS_WRITTEN)).hasValue("0");
        assertThat(response.headers().firstValue(PushHandler.EXEMPLARS_WRITTEN)).hasValue("0");
        assertThat(readAll(log.requests())).containsExactlyInAnyOrder(expected(SPECIAL), expected(OTHER));
    }

    @Test
    void missingContentTypeAndEncodingMeanSnappyRemoteWrite1() throws Exception {
        start(false);
        assertThat(post(snappy(rw1(OTHER).toByteArray())).statusCode()).isEqualTo(200);
        assertThat(post(snappy(rw1(OTHER).toByteArray()), "Content-Type", "application/x-protobuf;proto=prometheus.WriteRequest")
                .statusCode()).isEqualTo(200);
        assertThat(log.writes()).hasSize(2);
    }

    @Test
    void aVersion2HeaderWithoutProtoParameterMeansRemoteWrite2() throws Exception {
        start(false);
        HttpResponse<String> response = post(snappy(rw2(rw1(OTHER)).toByteArray()),
                "Content-Type", "application/x-protobuf", "X-Prometheus-Remote-Write-Version", "2.0.0");
        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(readAll(log.requests())).containsExactly(expected(OTHER));
    }

    @Test
    void malformedSnappyIs400() throws Exception {
        start(false);
        HttpResponse<String> response = post(new byte[] {0x05, (byte) 0xff, 0x01, 0x02, 0x03});
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("the body is not valid snappy block format");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void uncompressedProtobufIs400() throws Exception {
        start(false);
        // A sender that forgot to compress: its bytes are not a snappy block.
        HttpResponse<String> response = post(rw1(SPECIAL, OTHER).toByteArray());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void malformedProtobufIs400() throws Exception {
        start(false);
        HttpResponse<String> response = post(snappy(new byte[] {0x0a, 0x7f, 0x01, 0x02}));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).startsWith("the body is not a valid prometheus.WriteRequest message");
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void aTruncatedBodyIs400() throws Exception {
        start(false);
        byte[] body = snappy(rw1(SPECIAL, OTHER).toByteArray());
        HttpResponse<String> response = post(Arrays.copyOf(body, body.length / 2));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void anEmptyBodyIs400() throws Exception {
        start(false);
        HttpResponse<String> response = post(new byte[0]);
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("the request body is empty\n");
    }

    @Test
    void aBodyThatWouldDecompressBeyondTheLimitIs413() throws Exception {
        start(false);
        byte[] huge = snappy(new byte[MAX_RECV + 1]); // zeros compress to a few kilobytes
        assertThat(huge.length).isLessThan(MAX_RECV);

        HttpResponse<String> response = post(huge);
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("-distributor.max-recv-msg-size");
    }

    @Test
    void unsupportedContentTypesAndEncodingsAre415() throws Exception {
        start(false);
        byte[] body = snappy(rw1(OTHER).toByteArray());
        assertThat(post(body, "Content-Type", "application/json").statusCode()).isEqualTo(415);
        HttpResponse<String> unknownProto = post(body, "Content-Type", "application/x-protobuf;proto=io.prometheus.write.v3.Request");
        assertThat(unknownProto.statusCode()).isEqualTo(415);
        assertThat(unknownProto.body()).contains("io.prometheus.write.v3.Request").contains("proto=io.prometheus.write.v2.Request");
        assertThat(post(body, "Content-Encoding", "gzip").statusCode()).isEqualTo(415);
        assertThat(post(body, "X-Prometheus-Remote-Write-Version", "3.0.0").statusCode()).isEqualTo(415);
        assertThat(log.writes()).isEmpty();
    }

    @Test
    void onlyPostIsAccepted() throws Exception {
        start(false);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + PushHandler.PATH)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(405);
    }

    @Test
    void withMultitenancyTheHeaderNamesTheTenant() throws Exception {
        start(true);
        byte[] body = snappy(rw1(OTHER).toByteArray());

        HttpResponse<String> missing = post(body);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(missing.body()).contains("X-Scope-OrgID");
        assertThat(post(body, "X-Scope-OrgID", "..").statusCode()).isEqualTo(400);
        assertThat(post(body, "X-Scope-OrgID", "a/b").statusCode()).isEqualTo(400);
        assertThat(post(body, "X-Scope-OrgID", "x".repeat(151)).statusCode()).isEqualTo(400);
        assertThat(log.writes()).isEmpty();

        assertThat(post(body, "X-Scope-OrgID", "team-a_(prod).*!'").statusCode()).isEqualTo(200);
        assertThat(log.writes()).extracting(FakeRecordWriter.Write::tenant).containsExactly("team-a_(prod).*!'");
    }

    @Test
    void withoutMultitenancyEveryRequestIsAnonymous() throws Exception {
        start(false);
        assertThat(post(snappy(rw1(OTHER).toByteArray()), "X-Scope-OrgID", "someone").statusCode()).isEqualTo(200);
        assertThat(log.writes()).extracting(FakeRecordWriter.Write::tenant).containsExactly("anonymous");
    }

    @Test
    void aLogErrorReachesTheSender() throws Exception {
        start(false);
        log.failWith(new dev.runnel.distributor.produce.RecordWriteException("NetworkException", true, "the log went away", null));
        HttpResponse<String> response = post(snappy(rw2(rw1(OTHER)).toByteArray()), "Content-Type", RW2_TYPE);
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).isEqualTo("the log went away\n");
        assertThat(response.headers().firstValue(PushHandler.SAMPLES_WRITTEN)).hasValue("0");
    }
}
