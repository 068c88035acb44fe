package dev.runnel.log.metadata;

import java.util.ArrayDeque;

/**
 * An idempotent producer's epoch and its last few batches in one partition, oldest first, as a
 * commit reads, checks and changes it. Stored as the text {@link #encode} writes.
 */
final class ProducerState {

    /** Producer batches remembered per partition and producer for duplicate detection, as Kafka does. */
    static final int RECENT_PRODUCER_BATCHES = 5;

    /** A remembered batch: its sequence range and the offset it was committed at. */
    record SequencedBatch(int baseSequence, int lastSequence, long baseOffset) {
    }

    short epoch;
    private final ArrayDeque<SequencedBatch> batches = new ArrayDeque<>(RECENT_PRODUCER_BATCHES + 1);
    boolean changed;

    ProducerState(short epoch) {
        this.epoch = epoch;
    }

    void reset(short newEpoch) {
        epoch = newEpoch;
        batches.clear();
        changed = true;
    }

    SequencedBatch find(int baseSequence, int lastSequence) {
        for (SequencedBatch b : batches) {
            if (b.baseSequence == baseSequence && b.lastSequence == lastSequence) {
                return b;
            }
        }
        return null;
    }

    /** Whether a batch starting at {@code baseSequence} cannot follow the last batch remembered (if any). */
    boolean isOutOfSequence(int baseSequence) {
        return !batches.isEmpty() && !inSequence(batches.peekLast().lastSequence, baseSequence);
    }

    /** Whether {@code next} follows {@code last}; after {@link Integer#MAX_VALUE} comes 0. */
    private static boolean inSequence(int last, int next) {
        return (long) next == (long) last + 1 || (last == Integer.MAX_VALUE && next == 0);
    }

    void add(SequencedBatch batch) {
        batches.addLast(batch);
        while (batches.size() > RECENT_PRODUCER_BATCHES) {
            batches.removeFirst();
        }
        changed = true;
    }

    /** {@code base:last:offset} per batch, oldest first, separated by {@code ;}. */
    String encode() {
        StringBuilder out = new StringBuilder();
        for (SequencedBatch b : batches) {
            if (out.length() > 0) {
                out.append(';');
            }
            out.append(b.baseSequence).append(':').append(b.lastSequence).append(':').append(b.baseOffset);
        }
        return out.toString();
    }

    static ProducerState decode(short epoch, String encoded) {
        ProducerState state = new ProducerState(epoch);
        int[] at = {0};
        while (at[0] < encoded.length()) {
            int baseSequence = (int) parseLong(encoded, at, ':');
            int lastSequence = (int) parseLong(encoded, at, ':');
            long baseOffset = parseLong(encoded, at, ';');
            state.batches.addLast(new SequencedBatch(baseSequence, lastSequence, baseOffset));
        }
        return state;
    }

    /** Parses a decimal number at {@code at[0]} up to {@code end} or the end of the text, and moves past both. */
    private static long parseLong(String text, int[] at, char end) {
        int i = at[0];
        boolean negative = i < text.length() && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long value = 0;
        int start = i;
        for (; i < text.length() && text.charAt(i) != end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalStateException("Malformed producer state: " + text);
            }
            value = value * 10 + (c - '0');
        }
        if (i == start) {
            throw new IllegalStateException("Malformed producer state: " + text);
        }
        at[0] = i + 1;
        return negative ? -value : value;
    }
}
