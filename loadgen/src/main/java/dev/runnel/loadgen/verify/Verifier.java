package dev.runnel.loadgen.verify;

import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.series.SampleSequence;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back everything loadgen wrote and compares it with what was acknowledged ({@link Comparison}), pass after
 * pass until a pass is clean, the counts have not changed for {@code stableFor} (the target has settled: without
 * read-after-write consistency, ingesters may still be catching up), or {@code timeout} has passed.
 *
 * <p>A pass reads each tenant's samples by metric name (20 names split the series evenly) and by time windows sized
 * so that one answer holds about {@value #SAMPLES_PER_QUERY} samples.
 */
public final class Verifier {
    static final int SAMPLES_PER_QUERY = 200_000;
    private static final long RETRY_NANOS = Duration.ofSeconds(2).toNanos();

    private final Ledger ledger;
    private final SampleSource source;
    private final Duration timeout;
    private final Duration stableFor;
    private final PrintStream progress;
    private final Ticker ticker;

    /** The clock passes are timed by, and the wait between them; a fake in tests. */
    interface Ticker {
        Ticker SYSTEM = new Ticker() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void sleep(long nanos) throws InterruptedException {
                Thread.sleep(Math.max(1, nanos / 1_000_000));
            }
        };

        long nanoTime();

        void sleep(long nanos) throws InterruptedException;
    }

    public Verifier(Ledger ledger, SampleSource source, Duration timeout, PrintStream progress) {
        this(ledger, source, timeout, Duration.ofSeconds(15), progress, Ticker.SYSTEM);
    }

    Verifier(Ledger ledger, SampleSource source, Duration timeout, Duration stableFor, PrintStream progress,
             Ticker ticker) {
        this.ledger = ledger;
        this.source = source;
        this.timeout = timeout;
        this.stableFor = stableFor;
        this.progress = progress;
        this.ticker = ticker;
    }

    /** One query: a tenant's samples of one metric name in {@code [from, to)}. */
    record Query(int tenant, String metricName, long from, long to) {
    }

    /** What the passes found; {@code passes} counts them. */
    public record Outcome(VerifyResult last, int passes) {
        public String table() {
            return last.table(passes);
        }
    }

    /**
     * Runs passes as described above. Throws when no pass could read everything (the last failure says why).
     */
    public Outcome verify() throws IOException, InterruptedException {
        List<SequenceLedger> ledgers = ledger.sequences();
        List<Query> plan = plan(ledgers);
        long start = ticker.nanoTime();
        long deadline = start + timeout.toNanos();
        VerifyResult last = null;
        long unchangedSince = start;
        IOException failure = null;
        int passes = 0;
        while (true) {
            try {
                VerifyResult result = pass(ledgers, plan);
                passes++;
                long now = ticker.nanoTime();
                if (!result.sameCounts(last)) {
                    unchangedSince = now;
                }
                last = result;
                if (result.ok() || now - unchangedSince >= stableFor.toNanos() || now >= deadline) {
                    return new Outcome(result, passes);
                }
                progress.printf("verify: pass %d: %,d missing, %,d duplicated, %,d wrong; reading again%n",
                        passes, result.missing(), result.duplicated(), result.wrong());
            } catch (IOException e) {
                failure = e;
                if (ticker.nanoTime() >= deadline) {
                    if (last != null) {
                        return new Outcome(last, passes);
                    }
                    throw new IOException("verification could not read the samples back within " + timeout.toSeconds()
                            + " s: " + e.getMessage(), e);
                }
                progress.println("verify: reading back failed, retrying: " + e.getMessage());
            }
            ticker.sleep(Math.max(0, Math.min(RETRY_NANOS, deadline - ticker.nanoTime())));
        }
    }

    private VerifyResult pass(List<SequenceLedger> ledgers, List<Query> plan) throws IOException, InterruptedException {
        long start = ticker.nanoTime();
        Comparison comparison = new Comparison(ledgers);
        for (Query q : plan) {
            source.read(Target.tenantId(q.tenant()), q.metricName(), q.from(), q.to(),
                    (labels, timestamps, values, count) ->
                            comparison.series(q.tenant(), labels, timestamps, values, count, q.from(), q.to()));
        }
        return comparison.result(plan.size(), (ticker.nanoTime() - start) / 1e9);
    }

    /** The queries of a pass: per tenant, per metric name, windows over the timestamps of everything sent. */
    static List<Query> plan(List<SequenceLedger> ledgers) {
        Map<Integer, long[]> spans = new HashMap<>();
        Map<Integer, SampleSequence> anyOf = new HashMap<>();
        for (SequenceLedger l : ledgers) {
            SampleSequence s = l.sequence();
            if (l.sentEnd() == 0) {
                continue;
            }
            long[] span = spans.computeIfAbsent(s.tenant(), t -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
            span[0] = Math.min(span[0], s.firstTimestampMillis());
            span[1] = Math.max(span[1], s.timestamp(l.sentEnd() - 1) + 1);
            anyOf.putIfAbsent(s.tenant(), s);
        }
        List<Query> plan = new ArrayList<>();
        List<String> names = SampleSequence.metricNames();
        spans.forEach((tenant, span) -> {
            SampleSequence s = anyOf.get(tenant);
            long seriesPerName = Math.max(1, (s.tenantSeries() + names.size() - 1) / names.size());
            long window = s.intervalMillis() * Math.max(1, SAMPLES_PER_QUERY / seriesPerName);
            for (long from = span[0]; from < span[1]; from += window) {
                for (String name : names) {
                    plan.add(new Query(tenant, name, from, Math.min(span[1], from + window)));
                }
            }
        });
        return plan;
    }
}
