package dev.runnel.loadgen.verify;

import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.series.SampleSequence;
import dev.runnel.loadgen.series.Series;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pass of reading everything back: the samples read are checked against the ledger as they come, and
 * {@link #result} then counts what was acknowledged but never read.
 *
 * <p>A sample read is placed by its labels and timestamp: metric name and instance give the series number, which
 * gives the shard and so the sequence; the timestamp gives the scrape round and so the position
 * ({@link SampleSequence#position}). It is <em>wrong</em> when its labels are not exactly those loadgen makes for
 * that number, when its timestamp is off the series' scrape grid, when the series had another generation at that
 * position (churn), when its value differs, or when it lies beyond what was ever sent. Otherwise it is <em>found</em>
 * if acknowledged, <em>unacknowledged but present</em> if it was sent but never answered 2xx (a request that
 * failed after it was written: not an error), and <em>duplicated</em> if its position was read before.
 */
final class Comparison {
    static final int EXAMPLES = 5;

    /** Per tenant, its series count and the ledger of each shard (null where a shard sent nothing). */
    private final Map<Integer, Tenant> byTenant = new HashMap<>();
    private final Map<SequenceLedger, BitSet> read = new HashMap<>();
    private long found;
    private long duplicated;
    private long wrong;
    private long unacknowledgedPresent;
    private final List<String> wrongExamples = new ArrayList<>();
    private final List<String> duplicatedExamples = new ArrayList<>();

    Comparison(List<SequenceLedger> ledgers) {
        for (SequenceLedger ledger : ledgers) {
            SampleSequence s = ledger.sequence();
            byTenant.computeIfAbsent(s.tenant(), t -> new Tenant(s.tenantSeries(), new SequenceLedger[s.shards()]))
                    .shards()[s.shard()] = ledger;
            long sent = ledger.sentEnd();
            if (sent > Integer.MAX_VALUE) {
                throw new IllegalStateException(s + " sent " + sent + " samples: more than verification can track");
            }
            read.put(ledger, new BitSet((int) sent));
        }
    }

    /** Checks the samples of one series read for {@code tenant}, those with timestamps in {@code [from, to)}. */
    void series(int tenant, Map<String, String> labels, long[] timestamps, double[] values, int count, long from, long to) {
        int inWindow = 0;
        for (int i = 0; i < count; i++) {
            if (timestamps[i] >= from && timestamps[i] < to) {
                inWindow++;
            }
        }
        if (inWindow == 0) {
            return;
        }
        Tenant t = byTenant.get(tenant);
        long id = SampleSequence.seriesId(labels.get("__name__"), labels.get("instance"));
        SequenceLedger ledger = t == null || id < 0 ? null
                : t.shards()[SampleSequence.shardOf(id, t.tenantSeries(), t.shards().length)];
        if (ledger == null || !sameLabels(ledger.sequence().series(id), labels)) {
            wrong(inWindow, Target.tenantId(tenant) + " series loadgen did not send: " + labels);
            return;
        }
        SampleSequence sequence = ledger.sequence();
        BitSet seen = read.get(ledger);
        for (int i = 0; i < count; i++) {
            long ts = timestamps[i];
            if (ts < from || ts >= to) {
                continue;
            }
            long position = sequence.position(id, ts);
            if (position < 0 || position >= ledger.sentEnd() || ledger.seriesId(position) != id) {
                wrong(1, "never sent: " + where(tenant, labels, ts));
            } else if (Double.doubleToLongBits(values[i]) != Double.doubleToLongBits(sequence.value(position))) {
                wrong(1, "value " + values[i] + " instead of " + sequence.value(position) + ": " + where(tenant, labels, ts));
            } else if (seen.get((int) position)) {
                duplicated++;
                if (duplicatedExamples.size() < EXAMPLES) {
                    duplicatedExamples.add(where(tenant, labels, ts));
                }
            } else {
                seen.set((int) position);
                if (ledger.isAcknowledged(position)) {
                    found++;
                } else {
                    unacknowledgedPresent++;
                }
            }
        }
    }

    private record Tenant(int tenantSeries, SequenceLedger[] shards) {
    }

    private static boolean sameLabels(Series expected, Map<String, String> labels) {
        if (expected.labelCount() != labels.size()) {
            return false;
        }
        for (int i = 0; i < expected.labelCount(); i++) {
            if (!expected.value(i).equals(labels.get(expected.name(i)))) {
                return false;
            }
        }
        return true;
    }

    private static String where(int tenant, Map<String, String> labels, long timestamp) {
        return Target.tenantId(tenant) + " " + labels + " @ " + timestamp;
    }

    private void wrong(int samples, String example) {
        wrong += samples;
        if (wrongExamples.size() < EXAMPLES) {
            wrongExamples.add(example);
        }
    }

    /** The figures of this pass: acknowledged samples not read are missing. */
    VerifyResult result(int queries, double seconds) {
        long acknowledged = 0;
        long missing = 0;
        List<String> missingExamples = new ArrayList<>();
        for (Map.Entry<SequenceLedger, BitSet> e : read.entrySet()) {
            SequenceLedger ledger = e.getKey();
            BitSet seen = e.getValue();
            long[] ranges = ledger.acknowledgedRanges();
            for (int r = 0; r < ranges.length; r += 2) {
                acknowledged += ranges[r + 1] - ranges[r];
                for (int p = seen.nextClearBit((int) ranges[r]); p < ranges[r + 1]; p = seen.nextClearBit(p + 1)) {
                    missing++;
                    if (missingExamples.size() < EXAMPLES) {
                        SampleSequence s = ledger.sequence();
                        missingExamples.add(Target.tenantId(s.tenant()) + " " + s.series(ledger.seriesId(p))
                                + " @ " + s.timestamp(p));
                    }
                }
            }
        }
        return new VerifyResult(acknowledged, found, missing, duplicated, wrong, unacknowledgedPresent,
                missingExamples, duplicatedExamples, wrongExamples, queries, seconds);
    }
}
