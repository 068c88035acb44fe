package dev.runnel.distributor.validation;

import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushVerdict;

/**
 * What validation rejected in one request: counts by reason of samples, exemplars and metadata,
 * and the first error, which the response names. Nothing is allocated until something is rejected.
 */
final class Rejections {

    private int[] samples;
    private int[] exemplars;
    private int[] metadata;
    private int droppedSamples;
    private String firstError;

    /** Whether no error was recorded yet: only then is it worth building a message. */
    boolean wantsMessage() {
        return firstError == null;
    }

    void samples(Reason reason, int count, String message) {
        samples = add(samples, reason, count);
        droppedSamples += count;
        error(message);
    }

    void exemplar(Reason reason, String message) {
        exemplars = add(exemplars, reason, 1);
        error(message);
    }

    void metadata(Reason reason, String message) {
        metadata = add(metadata, reason, 1);
        error(message);
    }

    void report(String tenant, DiscardCounters counters) {
        for (Reason r : Reason.ALL) {
            counters.samples(r.label, tenant, count(samples, r));
            counters.exemplars(r.label, tenant, count(exemplars, r));
            counters.metadata(r.label, tenant, count(metadata, r));
        }
    }

    PushVerdict verdict() {
        return firstError == null ? PushVerdict.ACCEPT : PushVerdict.partial(firstError, droppedSamples);
    }

    private void error(String message) {
        if (firstError == null && message != null) {
            firstError = message;
        }
    }

    private static int[] add(int[] counts, Reason reason, int count) {
        if (counts == null) {
            counts = new int[Reason.ALL.length];
        }
        counts[reason.ordinal()] += count;
        return counts;
    }

    private static int count(int[] counts, Reason reason) {
        return counts == null ? 0 : counts[reason.ordinal()];
    }
}
