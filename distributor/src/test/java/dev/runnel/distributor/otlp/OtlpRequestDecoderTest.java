package dev.runnel.distributor.otlp;

import static dev.runnel.distributor.otlp.Otlp.counter;
import static dev.runnel.distributor.otlp.Otlp.point;
import static dev.runnel.distributor.otlp.Otlp.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.Exemplar;
import io.opentelemetry.proto.metrics.v1.Metric;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class OtlpRequestDecoderTest {

    private static final int LIMIT = 1 << 20;

    private static final String JSON = """
            {"resourceMetrics": [{
              "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "api"}}]},
              "scopeMetrics": [{
                "scope": {"name": "lib"},
                "metrics": [{
                  "name": "requests", "unit": "1",
                  "sum": {
                    "aggregationTemporality": 2, "isMonotonic": true,
                    "dataPoints": [{
                      "asInt": "42", "timeUnixNano": "1700000000000000000",
                      "attributes": [{"key": "code", "value": {"intValue": "200"}}],
                      "exemplars": [{
                        "asDouble": 0.5, "timeUnixNano": 1700000000000000000,
                        "traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174"
                      }]
                    }]
                  }
                }]
              }],
              "unknownField": {"ignored": true}
            }]}
            """;

    @Test
    void decodesProtobuf() throws Exception {
        ExportMetricsServiceRequest request = request(counter("c", point(1)));
        assertThat(OtlpRequestDecoder.decode(request.toByteArray(), "application/x-protobuf", null, LIMIT))
                .isEqualTo(request);
    }

    @Test
    void decodesJsonWithIntegerEnumsAndHexIds() throws Exception {
        ExportMetricsServiceRequest request = OtlpRequestDecoder.decode(JSON.getBytes(StandardCharsets.UTF_8),
                "application/json; charset=utf-8", "", LIMIT);

        Metric metric = request.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
        assertThat(metric.getSum().getAggregationTemporality())
                .isEqualTo(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE);
        assertThat(metric.getSum().getDataPoints(0).getAsInt()).isEqualTo(42);
        assertThat(metric.getSum().getDataPoints(0).getTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
        Exemplar exemplar = metric.getSum().getDataPoints(0).getExemplars(0);
        assertThat(exemplar.getTraceId())
                .isEqualTo(ByteString.copyFrom(HexFormat.of().parseHex("5b8efff798038103d269b633813fc60c")));
        assertThat(exemplar.getSpanId()).isEqualTo(ByteString.copyFrom(HexFormat.of().parseHex("eee19b7ec3c1b174")));

        assertThat(OtlpTranslator.translate(request, OtlpOptions.DEFAULTS).batch().exemplars(0).get(0).labels())
                .containsExactly("trace_id", "5b8efff798038103d269b633813fc60c", "span_id", "eee19b7ec3c1b174");
    }

    @Test
    void decodesGzip() throws Exception {
        ExportMetricsServiceRequest request = request(counter("c", point(1)));
        assertThat(OtlpRequestDecoder.decode(gzip(request.toByteArray()), "application/x-protobuf", "gzip", LIMIT))
                .isEqualTo(request);
        assertThat(OtlpRequestDecoder.decode(gzip(JSON.getBytes(StandardCharsets.UTF_8)), "application/json", "GZIP",
                LIMIT).getResourceMetricsCount()).isOne();
    }

    @Test
    void aGzipBombStopsAtTheLimit() throws Exception {
        byte[] bomb = gzip(new byte[16 * LIMIT]); // 16 MiB of zeros, about 16 KiB compressed
        assertThat(bomb.length).isLessThan(LIMIT);
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(bomb, "application/x-protobuf", "gzip", LIMIT))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(413))
                .hasMessage("the request body decompresses to more than the limit of 1048576 bytes");
    }

    @Test
    void anUncompressedBodyOverTheLimitIs413() {
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(new byte[11], "application/x-protobuf", null, 10))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(413));
    }

    @Test
    void unsupportedContentTypeOrEncodingIs415() {
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(new byte[0], "text/plain", null, LIMIT))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(415))
                .hasMessage("unsupported content type \"text/plain\": OTLP/HTTP accepts application/x-protobuf "
                        + "or application/json");
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(new byte[0], null, null, LIMIT))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(415));
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(new byte[0], "application/x-protobuf", "br", LIMIT))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(415))
                .hasMessage("unsupported content encoding \"br\": OTLP/HTTP accepts gzip or no encoding");
    }

    @Test
    void malformedBodiesAre400() {
        assertBadRequest(new byte[] {(byte) 0x0a, (byte) 0xff}, "application/x-protobuf", null,
                "the request body is not a valid protobuf ExportMetricsServiceRequest");
        assertBadRequest("{\"resourceMetrics\": [".getBytes(StandardCharsets.UTF_8), "application/json", null,
                "the request body is not a valid OTLP/JSON ExportMetricsServiceRequest");
        assertBadRequest("{resourceMetrics: []} trailing".getBytes(StandardCharsets.UTF_8), "application/json", null,
                "the request body is not a valid OTLP/JSON ExportMetricsServiceRequest");
        assertBadRequest(new byte[0], "application/json", null, "the request body is empty");
        assertBadRequest("{\"resourceMetrics\": 3}".getBytes(StandardCharsets.UTF_8), "application/json", null,
                "the request body is not a valid OTLP/JSON ExportMetricsServiceRequest");
        assertBadRequest(JSON.replace("eee19b7ec3c1b174", "not-hex!").getBytes(StandardCharsets.UTF_8),
                "application/json", null, "exemplar spanId \"not-hex!\" is invalid: OTLP/JSON ids must be hex strings");
        assertBadRequest(new byte[] {1, 2, 3}, "application/x-protobuf", "gzip", "the request body is not valid gzip");
    }

    private static void assertBadRequest(byte[] body, String type, String encoding, String message) {
        assertThatThrownBy(() -> OtlpRequestDecoder.decode(body, type, encoding, LIMIT))
                .isInstanceOfSatisfying(OtlpFormatException.class, e -> assertThat(e.httpStatus()).isEqualTo(400))
                .hasMessageStartingWith(message);
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(raw);
        }
        return out.toByteArray();
    }
}
