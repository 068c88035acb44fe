package dev.runnel.distributor.otlp;

/**
 * Thrown by a converter for a data point it cannot translate; the translator counts the point as
 * rejected and goes on with the next. Cheap: no stack trace.
 */
final class RejectedPoint extends Exception {

    RejectedPoint(String message) {
        super(message, null, false, false);
    }
}
