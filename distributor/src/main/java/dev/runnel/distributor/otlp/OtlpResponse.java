package dev.runnel.distributor.otlp;

import dev.runnel.server.HttpResponses;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

/** An OTLP/HTTP response ready to write: status, Content-Type and body. */
public record OtlpResponse(int httpStatus, String contentType, byte[] body) {

    public FullHttpResponse toHttpResponse() {
        return HttpResponses.bytes(HttpResponseStatus.valueOf(httpStatus), contentType, body);
    }
}
