package dev.runnel.log.metadata;

/**
 * The idempotent-producer fields of a batch: who wrote it and which sequence numbers it holds.
 * A batch from a producer that is not idempotent has {@code producerId == -1}.
 */
public record ProducerBatch(long producerId, short producerEpoch, int baseSequence, int lastSequence) {
    public static final ProducerBatch NONE = new ProducerBatch(-1L, (short) -1, -1, -1);

    public boolean isIdempotent() {
        return producerId >= 0;
    }
}
