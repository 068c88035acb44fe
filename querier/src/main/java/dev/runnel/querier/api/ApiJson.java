package dev.runnel.querier.api;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The envelope of every answer, streamed with Jackson straight into the response buffer:
 * {@code {"status":"success","data":...}} or
 * {@code {"status":"error","errorType":"bad_data","error":"..."}}.
 */
final class ApiJson {
  private static final JsonFactory FACTORY = new JsonFactoryBuilder().characterEscapes(GoJsonEscapes.INSTANCE).build();

  /** Writes the {@code data} of a successful answer. */
  @FunctionalInterface
  interface Data {
    void write(JsonGenerator json) throws IOException;
  }

  private ApiJson() {}

  static FullHttpResponse success(Data data) {
    return response(HttpResponseStatus.OK, json -> {
      json.writeStringField("status", "success");
      json.writeFieldName("data");
      data.write(json);
    });
  }

  static FullHttpResponse error(ErrorType type, String message) {
    return response(HttpResponseStatus.valueOf(type.status), json -> {
      json.writeStringField("status", "error");
      json.writeStringField("errorType", type.json);
      json.writeStringField("error", message);
    });
  }

  private static FullHttpResponse response(HttpResponseStatus status, Data fields) {
    ByteBuf buffer = Unpooled.buffer(256);
    try (JsonGenerator json = FACTORY.createGenerator((OutputStream) new ByteBufOutputStream(buffer), JsonEncoding.UTF8)) {
      json.writeStartObject();
      fields.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      buffer.release();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      buffer.release();
      throw e;
    }
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, buffer);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, buffer.readableBytes());
    return response;
  }
}
