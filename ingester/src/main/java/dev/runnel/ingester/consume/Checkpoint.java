package dev.runnel.ingester.consume;

/**
 * What makes the heads durable (the snapshotter), driven by the partition consumer on its thread,
 * where the heads are not being appended to: between polls, every record before the offset it is
 * given is in the heads and no later one.
 */
public interface Checkpoint {

    /** Keeps nothing: the heads are rebuilt from the log on every start. */
    Checkpoint NONE = new Checkpoint() {
        @Override
        public void afterPoll(long nextOffset) {
        }

        @Override
        public long beforeClose(long nextOffset) {
            return -1;
        }
    };

    /** After each poll; must return quickly (capture, not write). */
    void afterPoll(long nextOffset);

    /**
     * Once, as the consumer stops on {@code close()}: makes the heads as of {@code nextOffset}
     * durable, blocking. Returns the offset now durable, for the consumer to commit, or -1. A
     * negative {@code nextOffset} means the consumer never started: there is nothing to make durable.
     */
    long beforeClose(long nextOffset);
}
