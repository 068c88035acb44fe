package dev.runnel.loadgen.send;

import dev.runnel.loadgen.series.Batch;

/**
 * Told what a shard sends and what the target acknowledged, for a verifier that later reads the samples back. Each
 * batch is {@link #sending sent} once however often it is retried, and {@link #acknowledged} at most once (its
 * first 2xx). Called on the shard's thread; a shard sends one batch at a time.
 */
public interface Acknowledgements {
    Acknowledgements NONE = new Acknowledgements() {
        @Override
        public void sending(Batch batch) {
        }

        @Override
        public void acknowledged(Batch batch) {
        }
    };

    /** The batch is about to be sent for the first time. */
    void sending(Batch batch);

    /** The batch was answered 2xx. */
    void acknowledged(Batch batch);
}
