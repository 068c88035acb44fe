package dev.runnel.loadgen.verify;

import dev.runnel.loadgen.send.Acknowledgements;
import dev.runnel.loadgen.series.Batch;
import dev.runnel.loadgen.series.SampleSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What loadgen acknowledged, compactly: series are generated deterministically ({@link SampleSequence}), so a batch
 * is recorded as its sequence, first position and size (consecutive batches merge into one range), and the churn
 * count where it changed. A retried batch is recorded once, when it is first acknowledged. Memory grows with the
 * failures and churn steps, not with the samples.
 */
public final class Ledger implements Acknowledgements {
    private final Map<SampleSequence, SequenceLedger> sequences = new ConcurrentHashMap<>();

    @Override
    public void sending(Batch batch) {
        of(batch).sending(batch.firstPosition(), batch.size(), batch.churned());
    }

    @Override
    public void acknowledged(Batch batch) {
        of(batch).acknowledged(batch.firstPosition(), batch.size());
    }

    private SequenceLedger of(Batch batch) {
        return sequences.computeIfAbsent(batch.sequence(), SequenceLedger::new);
    }

    /** Samples acknowledged so far. */
    public long acknowledgedSamples() {
        return sequences.values().stream().mapToLong(SequenceLedger::acknowledgedCount).sum();
    }

    List<SequenceLedger> sequences() {
        return new ArrayList<>(sequences.values());
    }
}
