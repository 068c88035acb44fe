package dev.runnel.distributor.push;

/**
 * How a push request ended: the HTTP status to answer, a message for the sender (empty on
 * success), and what was written to the log, which remote write 2.0 reports in headers.
 */
public record PushResult(int status, String message, int samplesWritten, int histogramsWritten, int exemplarsWritten) {

    static PushResult failed(int status, String message) {
        return new PushResult(status, message, 0, 0, 0);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }
}
