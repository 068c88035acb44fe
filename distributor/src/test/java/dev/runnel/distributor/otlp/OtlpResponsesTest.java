package dev.runnel.distributor.otlp;

import static dev.runnel.distributor.otlp.Otlp.gauge;
import static dev.runnel.distributor.otlp.Otlp.point;
import static dev.runnel.distributor.otlp.Otlp.request;
import static dev.runnel.distributor.otlp.Otlp.sum;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import com.google.protobuf.CodedInputStream;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OtlpResponsesTest {

    @Test
    void successIsAnEmptyResponseInTheRequestsType() throws Exception {
        OtlpResponse protobuf = OtlpResponses.success(OtlpContentType.PROTOBUF);
        assertThat(protobuf.httpStatus()).isEqualTo(200);
        assertThat(protobuf.contentType()).isEqualTo("application/x-protobuf");
        assertThat(ExportMetricsServiceResponse.parseFrom(protobuf.body()).hasPartialSuccess()).isFalse();

        OtlpResponse json = OtlpResponses.success(OtlpContentType.JSON);
        assertThat(json.contentType()).isEqualTo("application/json");
        assertThat(new String(json.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void partialSuccessCarriesRejectedPointsAndTheError() throws Exception {
        OtlpTranslation t = Otlp.translate(request(gauge("ok", "", point(1)),
                sum("d", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(1), point(2))));

        OtlpResponse protobuf = OtlpResponses.forTranslation(OtlpContentType.PROTOBUF, t);
        assertThat(protobuf.httpStatus()).isEqualTo(200);
        ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(protobuf.body());
        assertThat(response.getPartialSuccess().getRejectedDataPoints()).isEqualTo(2);
        assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo(t.firstError());

        OtlpResponse json = OtlpResponses.forTranslation(OtlpContentType.JSON, t);
        var body = JsonParser.parseString(new String(json.body(), StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonObject("partialSuccess");
        assertThat(body.get("rejectedDataPoints").getAsLong()).isEqualTo(2);
        assertThat(body.get("errorMessage").getAsString()).isEqualTo(t.firstError());
    }

    @Test
    void aRequestWhosePointsWereAllRejectedIs400() throws IOException {
        OtlpTranslation t = Otlp.translate(request(
                sum("d", "", true, AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, point(1))));
        OtlpResponse response = OtlpResponses.forTranslation(OtlpContentType.PROTOBUF, t);
        assertThat(response.httpStatus()).isEqualTo(400);
        assertStatus(response.body(), RpcStatus.INVALID_ARGUMENT, t.firstError());
    }

    @Test
    void warningsWithoutRejectedPointsArePartialSuccess() throws Exception {
        OtlpTranslation t = Otlp.translate(request(gauge("ok", "", point(1)), gauge("empty", "")));
        ExportMetricsServiceResponse response = ExportMetricsServiceResponse.parseFrom(
                OtlpResponses.forTranslation(OtlpContentType.PROTOBUF, t).body());
        assertThat(response.getPartialSuccess().getRejectedDataPoints()).isZero();
        assertThat(response.getPartialSuccess().getErrorMessage()).contains("no data points");
    }

    @Test
    void failuresHaveAStatusBody() throws IOException {
        OtlpResponse bad = OtlpResponses.failure(OtlpContentType.PROTOBUF,
                new OtlpFormatException(415, "unsupported content type"));
        assertThat(bad.httpStatus()).isEqualTo(415);
        assertStatus(bad.body(), RpcStatus.INVALID_ARGUMENT, "unsupported content type");

        OtlpResponse json = OtlpResponses.failure(OtlpContentType.JSON, 429, "slow down");
        assertThat(json.httpStatus()).isEqualTo(429);
        var status = JsonParser.parseString(new String(json.body(), StandardCharsets.UTF_8)).getAsJsonObject();
        assertThat(status.get("code").getAsInt()).isEqualTo(RpcStatus.RESOURCE_EXHAUSTED);
        assertThat(status.get("message").getAsString()).isEqualTo("slow down");
    }

    @Test
    void serverErrorsAreRetryable() throws IOException {
        assertThat(OtlpResponses.serverError(OtlpContentType.PROTOBUF, "log unavailable").httpStatus()).isEqualTo(503);
        OtlpResponse internal = OtlpResponses.failure(OtlpContentType.PROTOBUF, 500, "boom");
        assertThat(internal.httpStatus()).isEqualTo(503);
        assertStatus(internal.body(), RpcStatus.UNAVAILABLE, "boom");
        assertThat(OtlpResponses.failure(OtlpContentType.PROTOBUF, 504, "timeout").httpStatus()).isEqualTo(504);
    }

    @Test
    void longMessagesAreCut() {
        OtlpResponse response = OtlpResponses.failure(OtlpContentType.JSON, 400, "x".repeat(5000));
        String message = JsonParser.parseString(new String(response.body(), StandardCharsets.UTF_8))
                .getAsJsonObject().get("message").getAsString();
        assertThat(message).hasSize(OtlpResponses.MAX_MESSAGE_LENGTH);
    }

    @Test
    void answersInTheRequestsTypeOrProtobufWhenThatIsUnsupported() {
        assertThat(OtlpContentType.forResponse("application/json; charset=utf-8")).isEqualTo(OtlpContentType.JSON);
        assertThat(OtlpContentType.forResponse("text/plain")).isEqualTo(OtlpContentType.PROTOBUF);
        assertThat(OtlpContentType.forResponse(null)).isEqualTo(OtlpContentType.PROTOBUF);
    }

    @Test
    void becomesANettyResponse() {
        var http = OtlpResponses.success(OtlpContentType.PROTOBUF).toHttpResponse();
        assertThat(http.status().code()).isEqualTo(200);
        assertThat(http.headers().get("Content-Type")).isEqualTo("application/x-protobuf");
        http.release();
    }

    /** Reads a google.rpc.Status by its field numbers: code = 1, message = 2. */
    private static void assertStatus(byte[] body, int code, String message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(body);
        assertThat(in.readTag()).isEqualTo(1 << 3);
        assertThat(in.readInt32()).isEqualTo(code);
        assertThat(in.readTag()).isEqualTo((2 << 3) | 2);
        assertThat(in.readString()).isEqualTo(message);
        assertThat(in.isAtEnd()).isTrue();
    }
}
