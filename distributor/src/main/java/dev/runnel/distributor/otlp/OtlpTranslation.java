package dev.runnel.distributor.otlp;

import dev.runnel.distributor.write.WriteBatch;

/**
 * What {@link OtlpTranslator} made of a request: the series it could translate, how many OTLP data
 * points it rejected and the first reason, null when nothing went wrong. A request with rejected
 * points is a partial success: the batch holds the rest.
 */
public record OtlpTranslation(WriteBatch batch, int rejectedDataPoints, String firstError) {
}
