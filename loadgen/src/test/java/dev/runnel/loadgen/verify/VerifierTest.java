package dev.runnel.loadgen.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.loadgen.send.Target;
import dev.runnel.loadgen.series.Batch;
import dev.runnel.loadgen.series.Series;
import dev.runnel.loadgen.series.SeriesGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The comparison of what was acknowledged with what is read back, over a fake store filled from the same batches the
 * shards would send: 2 tenants x 3 shards, churn, 40 requests per sequence.
 */
class VerifierTest {
    private static final Duration INTERVAL = Duration.ofSeconds(15);
    private static final long FIRST = 1_700_000_000_000L;
    private static final int SAMPLES_PER_REQUEST = 17;

    private final Ledger ledger = new Ledger();
    /** tenant id → series (labels) → timestamp → values stored there (more than one: a duplicate). */
    private final Map<String, Map<Map<String, String>, TreeMap<Long, List<Double>>>> store = new TreeMap<>();
    private long sent;

    /**
     * Sends every sequence's requests; {@code answer} decides per request (numbered from 0 over all sequences) whether
     * it is acknowledged and whether it is stored.
     */
    private void write(RequestFate fate) {
        int n = 0;
        for (int tenant = 0; tenant < 2; tenant++) {
            for (int shard = 0; shard < 3; shard++) {
                SeriesGenerator g = new SeriesGenerator(tenant, shard, 3, 50 + tenant, 6, 120, INTERVAL, FIRST, 0);
                Batch batch = new Batch(SAMPLES_PER_REQUEST);
                for (int request = 0; request < 40; request++, n++) {
                    g.next(SAMPLES_PER_REQUEST, request * 100_000_000L, batch);
                    ledger.sending(batch);
                    sent += batch.size();
                    if (fate.acknowledged(n)) {
                        ledger.acknowledged(batch);
                    }
                    if (fate.stored(n)) {
                        for (int i = 0; i < batch.size(); i++) {
                            store(Target.tenantId(tenant), labels(batch.series(i)), batch.timestamp(i), batch.value(i));
                        }
                    }
                }
            }
        }
    }

    interface RequestFate {
        boolean acknowledged(int request);

        default boolean stored(int request) {
            return acknowledged(request);
        }
    }

    private static Map<String, String> labels(Series s) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < s.labelCount(); i++) {
            labels.put(s.name(i), s.value(i));
        }
        return labels;
    }

    private void store(String tenant, Map<String, String> labels, long timestamp, double value) {
        store.computeIfAbsent(tenant, t -> new LinkedHashMap<>()).computeIfAbsent(labels, l -> new TreeMap<>())
                .computeIfAbsent(timestamp, t -> new ArrayList<>()).add(value);
    }

    /** The fake target: answers with every stored sample in the window, plus one millisecond before it. */
    private final SampleSource source = (tenantId, metricName, from, to, visitor) -> {
        for (var series : store.getOrDefault(tenantId, Map.of()).entrySet()) {
            if (!metricName.equals(series.getKey().get("__name__"))) {
                continue;
            }
            List<long[]> ts = new ArrayList<>();
            List<Double> vs = new ArrayList<>();
            series.getValue().subMap(from - 1, to).forEach((t, values) -> values.forEach(v -> {
                ts.add(new long[] {t});
                vs.add(v);
            }));
            if (!ts.isEmpty()) {
                visitor.series(series.getKey(), ts.stream().mapToLong(a -> a[0]).toArray(),
                        vs.stream().mapToDouble(Double::doubleValue).toArray(), ts.size());
            }
        }
    };

    private VerifyResult verify() throws Exception {
        return verifier(source, new FakeTicker()).verify().last();
    }

    private Verifier verifier(SampleSource source, FakeTicker ticker) {
        return new Verifier(ledger, source, Duration.ofSeconds(60), Duration.ofSeconds(15),
                new PrintStream(new ByteArrayOutputStream()), ticker);
    }

    /** Time moves only when the verifier sleeps. */
    static final class FakeTicker implements Verifier.Ticker {
        long now;
        int sleeps;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(long nanos) {
            now += Math.max(1, nanos);
            sleeps++;
        }
    }

    @Test
    void everythingAcknowledgedAndStoredOnceIsOk() throws Exception {
        write(request -> true);

        VerifyResult result = verify();

        assertThat(result.ok()).isTrue();
        assertThat(result.acknowledged()).isEqualTo(sent).isEqualTo(2 * 3 * 40 * SAMPLES_PER_REQUEST);
        assertThat(result.found()).isEqualTo(sent);
        assertThat(result.missing() + result.duplicated() + result.wrong() + result.unacknowledgedPresent()).isZero();
        assertThat(result.table(1)).contains("verify: OK");
    }

    @Test
    void aDroppedSampleIsMissingAndNamed() throws Exception {
        write(request -> true);
        var series = store.get("tenant-2").entrySet().iterator().next();
        long dropped = series.getValue().lastKey();
        series.getValue().remove(dropped);

        VerifyResult result = verify();

        assertThat(result.ok()).isFalse();
        assertThat(result.missing()).isEqualTo(1);
        assertThat(result.found()).isEqualTo(sent - 1);
        assertThat(result.missingExamples()).singleElement().asString()
                .startsWith("tenant-2 {__name__=\"" + series.getKey().get("__name__") + "\"")
                .contains("instance=\"" + series.getKey().get("instance") + "\"").endsWith("@ " + dropped);
        assertThat(result.table(1)).contains("verify: FAILED").contains("missing: tenant-2");
    }

    @Test
    void aSampleStoredTwiceIsDuplicated() throws Exception {
        write(request -> true);
        var series = store.get("tenant-1").entrySet().iterator().next();
        series.getValue().firstEntry().getValue().add(series.getValue().firstEntry().getValue().get(0));

        VerifyResult result = verify();

        assertThat(result.duplicated()).isEqualTo(1);
        assertThat(result.found()).isEqualTo(sent);
        assertThat(result.missing()).isZero();
        assertThat(result.ok()).isFalse();
    }

    @Test
    void wrongValuesLabelsAndTimestampsAreWrong() throws Exception {
        write(request -> true);
        var iterator = store.get("tenant-1").entrySet().iterator();
        var wrongValue = iterator.next().getValue().firstEntry().getValue();
        wrongValue.set(0, wrongValue.get(0) + 1);
        var offGrid = iterator.next().getValue();
        long t = offGrid.firstKey();
        offGrid.put(t + 1, offGrid.remove(t));
        Map<String, String> extraLabel = new LinkedHashMap<>(iterator.next().getKey());
        extraLabel.put("zz", "extra");
        store("tenant-1", extraLabel, FIRST, 1);
        store("tenant-1", Map.of("__name__", "up", "instance", "192.168.0.1:80"), FIRST, 1);

        VerifyResult result = verify();

        // the changed value and the moved sample are also missing where they should have been
        assertThat(result.wrong()).isEqualTo(4);
        assertThat(result.missing()).isEqualTo(2);
        assertThat(result.wrongExamples()).hasSize(4).anyMatch(e -> e.startsWith("value "))
                .anyMatch(e -> e.contains("192.168.0.1:80")).anyMatch(e -> e.contains("zz=extra"))
                .anyMatch(e -> e.startsWith("never sent: ") && e.endsWith("@ " + (t + 1)));
    }

    @Test
    void aSampleOfAnotherGenerationOfTheSlotIsWrong() throws Exception {
        write(request -> true);
        // the first series of tenant-1 (generation 0) at a time when its slot already held a later generation
        var series = store.get("tenant-1").entrySet().iterator().next();
        long last = store.get("tenant-1").values().stream().mapToLong(TreeMap::lastKey).max().orElseThrow();
        long t = series.getValue().firstKey();
        long late = t + (last - t) / INTERVAL.toMillis() * INTERVAL.toMillis();
        assertThat(series.getValue()).doesNotContainKey(late);
        series.getValue().put(late, new ArrayList<>(List.of(1.0)));

        VerifyResult result = verify();

        assertThat(result.wrong()).isEqualTo(1);
        assertThat(result.wrongExamples()).singleElement().asString().startsWith("never sent: ");
    }

    @Test
    void samplesOfUnacknowledgedRequestsArePresentButNotErrorsAndNotMissingWhenAbsent() throws Exception {
        // request 7 failed after it was written; request 9 failed before
        write(new RequestFate() {
            @Override
            public boolean acknowledged(int request) {
                return request != 7 && request != 9;
            }

            @Override
            public boolean stored(int request) {
                return request != 9;
            }
        });

        VerifyResult result = verify();

        assertThat(result.ok()).isTrue();
        assertThat(result.unacknowledgedPresent()).isEqualTo(SAMPLES_PER_REQUEST);
        assertThat(result.acknowledged()).isEqualTo(sent - 2 * SAMPLES_PER_REQUEST);
        assertThat(result.found()).isEqualTo(result.acknowledged());
        assertThat(result.table(1)).contains("unacknowledged but present");
    }

    @Test
    void readsAgainUntilTheMissingSamplesArriveThenStops() throws Exception {
        write(request -> true);
        var series = store.get("tenant-1").entrySet().iterator().next().getValue();
        var late = series.pollLastEntry();
        AtomicInteger queries = new AtomicInteger();
        int queriesPerPass = Verifier.plan(ledger.sequences()).size();
        SampleSource arrivesInThirdPass = (tenant, name, from, to, visitor) -> {
            if (queries.incrementAndGet() == 2 * queriesPerPass + 1) {
                series.put(late.getKey(), late.getValue());
            }
            source.read(tenant, name, from, to, visitor);
        };
        FakeTicker ticker = new FakeTicker();

        Verifier.Outcome outcome = verifier(arrivesInThirdPass, ticker).verify();

        assertThat(outcome.passes()).isEqualTo(3);
        assertThat(outcome.last().ok()).isTrue();
        assertThat(outcome.table()).contains("verification: 3 passes");
    }

    @Test
    void stopsOnceTheCountsHaveNotChangedForTheStablePeriod() throws Exception {
        write(request -> true);
        store.get("tenant-1").entrySet().iterator().next().getValue().pollLastEntry();
        FakeTicker ticker = new FakeTicker();

        Verifier.Outcome outcome = verifier(source, ticker).verify();

        assertThat(outcome.last().missing()).isEqualTo(1);
        // 2 s between passes, unchanged for 15 s: the 9th pass ends it, well before the 60 s timeout
        assertThat(outcome.passes()).isEqualTo(9);
        assertThat(ticker.now).isLessThan(Duration.ofSeconds(20).toNanos());
    }

    @Test
    void failsSayingWhyWhenNothingCanBeRead() {
        write(request -> true);
        SampleSource down = (tenant, name, from, to, visitor) -> {
            throw new IOException("connection refused");
        };

        assertThatThrownBy(() -> verifier(down, new FakeTicker()).verify())
                .hasMessageContaining("within 60 s").hasMessageContaining("connection refused");
    }

    @Test
    void plansWindowsOfAboutTheQueryBudgetPerMetricName() {
        write(request -> true);

        List<Verifier.Query> plan = Verifier.plan(ledger.sequences());

        // about 3 series per metric name: one window of the 200,000-sample budget covers all 40 rounds; 20 names, 2 tenants
        assertThat(plan).hasSize(2 * 20);
        assertThat(plan).allMatch(q -> q.from() == FIRST);
    }
}
