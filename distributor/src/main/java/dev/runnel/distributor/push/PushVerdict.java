package dev.runnel.distributor.push;

/** What a {@link PushStage} decided about a request. */
public sealed interface PushVerdict {

    /** Go on with whatever the stage left in the batch. */
    PushVerdict ACCEPT = new Accept();

    /** Go on with what is left; once it is written, answer 400 naming the first error and how many were dropped. */
    static PushVerdict partial(String firstError, int droppedSamples) {
        return new Partial(firstError, droppedSamples);
    }

    /** Write nothing and answer now with this HTTP status: 202 for a deduplicated HA replica, 429 over a rate limit. */
    static PushVerdict stop(int httpStatus, String message) {
        return new Stop(httpStatus, message);
    }

    record Accept() implements PushVerdict {
    }

    record Partial(String firstError, int droppedSamples) implements PushVerdict {
    }

    record Stop(int httpStatus, String message) implements PushVerdict {
    }
}
