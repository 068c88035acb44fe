package dev.runnel.loadgen.verify;

import dev.runnel.loadgen.series.SampleSequence;

/**
 * What was sent and acknowledged of one sample sequence: the acknowledged positions as ranges, the churn seen along
 * the way, and how far sending got. Written by the shard that owns the sequence (one at a time, but phases start
 * new threads), read by the verifier: synchronized.
 */
final class SequenceLedger {
    private final SampleSequence sequence;
    private final PositionRanges acknowledged = new PositionRanges();
    private final ChurnSteps churn = new ChurnSteps();
    private long sentEnd;

    SequenceLedger(SampleSequence sequence) {
        this.sequence = sequence;
    }

    SampleSequence sequence() {
        return sequence;
    }

    synchronized void sending(long firstPosition, int size, long churned) {
        churn.record(firstPosition, churned);
        sentEnd = Math.max(sentEnd, firstPosition + size);
    }

    synchronized void acknowledged(long firstPosition, int size) {
        acknowledged.add(firstPosition, firstPosition + size);
    }

    /** Positions below this were sent at least once; those at or above it never were. */
    synchronized long sentEnd() {
        return sentEnd;
    }

    synchronized boolean isAcknowledged(long position) {
        return acknowledged.contains(position);
    }

    synchronized long acknowledgedCount() {
        return acknowledged.count();
    }

    /** The series number of the sample sent at {@code position}. */
    synchronized long seriesId(long position) {
        return sequence.seriesId(position, churn.at(position));
    }

    /** The acknowledged ranges as {@code [from, to)} pairs, flattened. */
    synchronized long[] acknowledgedRanges() {
        long[] out = new long[acknowledged.ranges() * 2];
        for (int i = 0; i < acknowledged.ranges(); i++) {
            out[2 * i] = acknowledged.from(i);
            out[2 * i + 1] = acknowledged.to(i);
        }
        return out;
    }
}
