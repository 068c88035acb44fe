package dev.runnel.ingester.head;

import static dev.runnel.ingester.labels.LabelMatcher.equal;
import static dev.runnel.ingester.labels.LabelMatcher.regex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.labels.Labels;
import dev.runnel.ingester.query.SeriesSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One appender (with GC) and several readers: readers always see consistent, ordered series. */
class ConcurrentQueryTest {

    @Test
    void readersSeeConsistentSeriesWhileTheAppenderAppendsAndCollects() throws Exception {
        TenantHead head = new TenantHead("t", new HeadConfig(Duration.ofSeconds(100), Duration.ofSeconds(5), 10_000));
        int seriesCount = 300;
        Labels[] labels = new Labels[seriesCount];
        for (int i = 0; i < seriesCount; i++) {
            labels[i] = Labels.of("__name__", "m" + i % 3, "i", Integer.toString(i));
        }
        AtomicBoolean done = new AtomicBoolean();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        AtomicLong samplesRead = new AtomicLong();
        List<Thread> readers = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            int reader = r;
            Thread t = new Thread(() -> {
                try {
                    while (!done.get()) {
                        SeriesSet set = head.querier().select(Long.MIN_VALUE, Long.MAX_VALUE,
                                List.of(reader == 0 ? equal("__name__", "m1") : regex("i", "1.*|2.*")));
                        while (set.next()) {
                            SampleIterator it = set.samples();
                            long last = Long.MIN_VALUE;
                            while (it.next() == ValueType.FLOAT) {
                                long ts = it.timestamp();
                                if (ts <= last || it.value() != ts) {
                                    throw new AssertionError(set.labels() + ": sample " + ts + "=" + it.value() + " after " + last);
                                }
                                last = ts;
                                samplesRead.incrementAndGet();
                            }
                        }
                        head.querier().labelValues("i", List.of());
                        head.stats();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            readers.add(t);
        }
        int[] refs = new int[seriesCount];
        for (int i = 0; i < seriesCount; i++) {
            refs[i] = head.refOf(labels[i]);
        }
        for (long t = 0; t < 1500; t++) {
            for (int i = 0; i < seriesCount; i++) {
                // Every 7th series stops early so GC collects it; some samples arrive out of order.
                if (i % 7 == 0 && t > 500) {
                    continue;
                }
                long ts = t * 1000 + (t % 10 == 9 ? -3500 : 0);
                head.append(refs[i], ts, ts);
            }
            if (t % 100 == 0) {
                head.gc();
            }
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(samplesRead.get()).isPositive();
        assertThat(head.stats().series()).isEqualTo(seriesCount - (seriesCount + 6) / 7);
        assertThat(head.stats().discarded(DiscardReason.OUT_OF_ORDER)).isZero();
    }
}
