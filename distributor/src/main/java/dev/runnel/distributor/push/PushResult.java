package dev.runnel.distributor.push;

/**
 * How a push request ended: the HTTP status to answer, a message for the sender (empty on
 * success), what was written to the log, which remote write 2.0 reports in headers, and how many
 * samples the stages rejected while the rest was written (a partial rejection; OTLP reports it).
 */
public record PushResult(int status, String message, int samplesWritten, int histogramsWritten, int exemplarsWritten,
                         int samplesRejected) {

    public PushResult(int status, String message, int samplesWritten, int histogramsWritten, int exemplarsWritten) {
        this(status, message, samplesWritten, histogramsWritten, exemplarsWritten, 0);
    }

    static PushResult failed(int status, String message) {
        return new PushResult(status, message, 0, 0, 0);
    }

    public boolean succeeded() {
        return status >= 200 && status < 300;
    }

    /** Whether the stages rejected part of the request and the rest was written. */
    public boolean partiallyWritten() {
        return samplesRejected > 0 && samplesWritten + histogramsWritten > 0;
    }
}
