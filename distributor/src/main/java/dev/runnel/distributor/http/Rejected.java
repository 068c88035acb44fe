package dev.runnel.distributor.http;

/** A request refused before it reaches the pipeline, with the status and message to answer. */
final class Rejected extends Exception {

    final int status;

    Rejected(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }
}
