package dev.runnel.distributor.validation;

import dev.runnel.distributor.limits.Limits;
import dev.runnel.distributor.limits.TenantLimits;
import dev.runnel.distributor.push.DiscardCounters;
import dev.runnel.distributor.push.PushStage;
import dev.runnel.distributor.push.PushVerdict;
import dev.runnel.distributor.write.ByteHashing;
import dev.runnel.distributor.write.Exemplar;
import dev.runnel.distributor.write.MetricMetadata;
import dev.runnel.distributor.write.WriteBatch;
import dev.runnel.proto.prometheus.write.v2.Histogram;
import dev.runnel.server.config.Durations;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Validates a request's series as Mimir's distributor does, against the tenant's {@link Limits}.
 *
 * <p>Per series, in this order: a metric name is required and must match
 * {@code [a-zA-Z_:][a-zA-Z0-9_:]*}; at most {@code max_label_names_per_series} labels; every
 * label name matches {@code [a-zA-Z_][a-zA-Z0-9_]*} and is at most {@code max_label_name_length}
 * bytes; every value is valid UTF-8 of at most {@code max_label_value_length} bytes; no name
 * twice (labels are sorted, so a duplicate is the label before). A failing series is dropped
 * whole. Labels with an empty value are removed first, as Prometheus treats them as absent
 * ({@code up{a=""}} is the series {@code up}); an empty {@code __name__} is a missing name.
 *
 * <p>Per sample: a timestamp more than {@code creation_grace_period} after now, or (when
 * {@code past_grace_period} is not zero) more than that before now, drops that sample or native
 * histogram only; so does an invalid native histogram. NaN, infinities and stale markers are
 * values like any other. An invalid exemplar or metadata is dropped alone; exemplars outside the
 * sample time window are dropped silently, as Mimir does.
 *
 * <p>Everything valid is still written: the verdict is {@link PushVerdict#partial} naming the
 * first error, Mimir-style. Checks read the labels' bytes in place: a valid series costs no
 * allocation.
 */
public final class ValidationStage implements PushStage {

    private static final byte[] NAME_LABEL = "__name__".getBytes(StandardCharsets.US_ASCII);
    private static final int NAME_HASH = ByteHashing.hash(NAME_LABEL, 0, NAME_LABEL.length);

    private final TenantLimits limits;
    private final DiscardCounters discards;

    public ValidationStage(TenantLimits limits, DiscardCounters discards) {
        this.limits = limits;
        this.discards = discards;
    }

    @Override
    public PushVerdict apply(String tenant, WriteBatch batch, long nowMillis) {
        Limits l = limits.forTenant(tenant);
        long newest = saturatedAdd(nowMillis, l.creationGracePeriod().toMillis());
        long oldest = l.pastGracePeriod().isZero() ? Long.MIN_VALUE : nowMillis - l.pastGracePeriod().toMillis();
        Rejections rejections = new Rejections();
        for (int s = 0; s < batch.seriesCount(); s++) {
            if (batch.isDropped(s)) {
                continue;
            }
            Reason labelProblem = checkLabels(batch, s, l);
            if (labelProblem != null) {
                int count = liveSamples(batch, s);
                String message = rejections.wantsMessage() ? seriesMessage(labelProblem, batch, s, l) : null;
                batch.dropSeries(s);
                rejections.samples(labelProblem, count, message);
                continue;
            }
            checkSamples(batch, s, newest, oldest, l, rejections);
            if (batch.histogramCount(s) > 0) {
                checkHistograms(batch, s, newest, oldest, l, rejections);
            }
            if (batch.exemplarCount(s) > 0) {
                checkExemplars(batch, s, newest, oldest, rejections);
            }
        }
        checkMetadata(batch.metadata(), l.maxMetadataLength(), rejections);
        rejections.report(tenant, discards);
        return rejections.verdict();
    }

    // ---- labels

    /** Removes the series' labels with empty values, then returns its first problem, or null. */
    private static Reason checkLabels(WriteBatch batch, int s, Limits limits) {
        int first = batch.firstLabel(s);
        int nameLabel = -1;
        for (int l = first; l < first + batch.labelCount(s); ) {
            if (batch.valueLength(l) == 0) {
                batch.removeLabel(s, l);
                continue;
            }
            if (batch.nameHash(l) == NAME_HASH && batch.nameLength(l) == NAME_LABEL.length && Arrays.equals(batch.text(), batch.nameOffset(l),
                    batch.nameOffset(l) + NAME_LABEL.length, NAME_LABEL, 0, NAME_LABEL.length)) {
                nameLabel = l;
            }
            l++;
        }
        if (nameLabel < 0) {
            return Reason.MISSING_METRIC_NAME;
        }
        if (!LabelSyntax.isMetricName(batch.text(), batch.valueOffset(nameLabel), batch.valueLength(nameLabel))) {
            return Reason.METRIC_NAME_INVALID;
        }
        if (batch.labelCount(s) > limits.maxLabelNamesPerSeries()) {
            return Reason.MAX_LABEL_NAMES_PER_SERIES;
        }
        int bad = firstBadLabel(batch, s, limits);
        return bad < 0 ? null : labelProblem(batch, s, bad, limits);
    }

    /** The index of the series' first label that fails a per-label check, or -1. */
    private static int firstBadLabel(WriteBatch batch, int s, Limits limits) {
        int first = batch.firstLabel(s);
        for (int l = first; l < first + batch.labelCount(s); l++) {
            if (labelProblem(batch, s, l, limits) != null) {
                return l;
            }
        }
        return -1;
    }

    private static Reason labelProblem(WriteBatch batch, int s, int l, Limits limits) {
        byte[] text = batch.text();
        int nameOffset = batch.nameOffset(l);
        int nameLength = batch.nameLength(l);
        if (!LabelSyntax.isLabelName(text, nameOffset, nameLength)) {
            return Reason.LABEL_INVALID;
        }
        if (nameLength > limits.maxLabelNameLength()) {
            return Reason.LABEL_NAME_TOO_LONG;
        }
        if (!LabelSyntax.isUtf8(text, batch.valueOffset(l), batch.valueLength(l))) {
            return Reason.LABEL_VALUE_INVALID;
        }
        if (batch.valueLength(l) > limits.maxLabelValueLength()) {
            return Reason.LABEL_VALUE_TOO_LONG;
        }
        int previous = l - 1;
        if (l > batch.firstLabel(s) && batch.nameHash(l) == batch.nameHash(previous) && Arrays.equals(text, nameOffset, nameOffset + nameLength,
                text, batch.nameOffset(previous), batch.nameOffset(previous) + batch.nameLength(previous))) {
            return Reason.DUPLICATE_LABEL_NAMES;
        }
        return null;
    }

    private static String seriesMessage(Reason reason, WriteBatch batch, int s, Limits limits) {
        String series = ", series: " + Messages.series(batch, s);
        if (reason == Reason.MISSING_METRIC_NAME) {
            return "received a series without a metric name" + series;
        }
        if (reason == Reason.METRIC_NAME_INVALID) {
            return "received a series with an invalid metric name: " + Messages.quote(batch.metricName(s))
                    + " (must match " + LabelSyntax.METRIC_NAME_PATTERN + ")" + series;
        }
        if (reason == Reason.MAX_LABEL_NAMES_PER_SERIES) {
            return "received a series with " + batch.labelCount(s) + " labels, more than max_label_names_per_series ("
                    + limits.maxLabelNamesPerSeries() + ")" + series;
        }
        int l = firstBadLabel(batch, s, limits);
        String name = Messages.quote(batch.labelName(l));
        return switch (reason) {
            case LABEL_INVALID -> "received a series with an invalid label name: " + name
                    + " (must match " + LabelSyntax.LABEL_NAME_PATTERN + ")" + series;
            case LABEL_NAME_TOO_LONG -> "received a series with a label name longer than max_label_name_length ("
                    + limits.maxLabelNameLength() + " bytes): " + name + series;
            case LABEL_VALUE_INVALID -> "received a series whose label " + name + " has a value that is not valid UTF-8" + series;
            case LABEL_VALUE_TOO_LONG -> "received a series whose label " + name + " has a value longer than max_label_value_length ("
                    + limits.maxLabelValueLength() + " bytes): " + Messages.quote(batch.labelValue(l)) + series;
            case DUPLICATE_LABEL_NAMES -> "received a series with the label name " + name + " twice" + series;
            default -> throw new IllegalStateException("not a label problem: " + reason);
        };
    }

    // ---- samples, histograms, exemplars

    private static void checkSamples(WriteBatch batch, int s, long newest, long oldest, Limits limits, Rejections rejections) {
        for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
            long ts = batch.timestamp(i);
            if ((ts > newest || ts < oldest) && !batch.isSampleDropped(i)) {
                Reason reason = ts > newest ? Reason.TOO_FAR_IN_FUTURE : Reason.TOO_FAR_IN_PAST;
                batch.dropSample(i);
                rejections.samples(reason, 1, rejections.wantsMessage() ? timeMessage(reason, ts, batch, s, limits) : null);
            }
        }
    }

    private static void checkHistograms(WriteBatch batch, int s, long newest, long oldest, Limits limits, Rejections rejections) {
        List<Histogram> histograms = batch.histograms(s);
        for (int i = 0; i < histograms.size(); i++) {
            Histogram h = histograms.get(i);
            long ts = h.getTimestamp();
            Reason reason = null;
            String problem = null;
            if (ts > newest || ts < oldest) {
                reason = ts > newest ? Reason.TOO_FAR_IN_FUTURE : Reason.TOO_FAR_IN_PAST;
            } else if (!HistogramRules.hasValidSchema(h)) {
                reason = Reason.INVALID_NATIVE_HISTOGRAM_SCHEMA;
                problem = "an invalid schema " + h.getSchema() + " (must be -4 to 8, or "
                        + HistogramRules.CUSTOM_BUCKETS_SCHEMA + " for custom buckets)";
            } else if ((problem = HistogramRules.problem(h)) != null) {
                reason = Reason.INVALID_NATIVE_HISTOGRAM;
            }
            if (reason == null) {
                continue;
            }
            histograms.remove(i--);
            String message = null;
            if (rejections.wantsMessage()) {
                message = problem == null ? timeMessage(reason, ts, batch, s, limits)
                        : "received a native histogram sample with " + problem + ", timestamp: " + ts
                                + ", series: " + Messages.series(batch, s);
            }
            rejections.samples(reason, 1, message);
        }
    }

    private static String timeMessage(Reason reason, long ts, WriteBatch batch, int s, Limits limits) {
        String bound = reason == Reason.TOO_FAR_IN_FUTURE
                ? "more than creation_grace_period (" + Durations.format(limits.creationGracePeriod()) + ") in the future"
                : "more than past_grace_period (" + Durations.format(limits.pastGracePeriod()) + ") in the past";
        return "received a sample whose timestamp " + ts + " is " + bound + ", series: " + Messages.series(batch, s);
    }

    private static void checkExemplars(WriteBatch batch, int s, long newest, long oldest, Rejections rejections) {
        List<Exemplar> exemplars = batch.exemplars(s);
        for (int i = 0; i < exemplars.size(); i++) {
            Exemplar e = exemplars.get(i);
            Reason problem = ExemplarRules.problem(e);
            if (problem != null) {
                exemplars.remove(i--);
                rejections.exemplar(problem, rejections.wantsMessage()
                        ? ExemplarRules.message(problem) + ", timestamp: " + e.timestamp() + ", series: " + Messages.series(batch, s)
                        : null);
            } else if (e.timestamp() > newest || e.timestamp() < oldest) {
                exemplars.remove(i--);
                rejections.exemplar(e.timestamp() > newest ? Reason.EXEMPLAR_TOO_FAR_IN_FUTURE : Reason.EXEMPLAR_TOO_OLD, null);
            }
        }
    }

    // ---- metadata

    private static void checkMetadata(List<MetricMetadata> metadata, int maxLength, Rejections rejections) {
        for (int i = 0; i < metadata.size(); i++) {
            MetricMetadata m = metadata.get(i);
            Reason problem = MetadataRules.problem(m, maxLength);
            if (problem != null) {
                metadata.remove(i--);
                rejections.metadata(problem, rejections.wantsMessage() ? MetadataRules.message(problem, m, maxLength) : null);
                continue;
            }
            MetricMetadata cut = MetadataRules.withShortHelp(m, maxLength);
            if (cut != m) {
                metadata.set(i, cut);
            }
        }
    }

    // ---- helpers

    /** Samples and histograms of the series not yet dropped: what dropping it discards. */
    private static int liveSamples(WriteBatch batch, int s) {
        int live = batch.histogramCount(s);
        for (int i = batch.sampleStart(s); i < batch.sampleEnd(s); i++) {
            live += batch.isSampleDropped(i) ? 0 : 1;
        }
        return live;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
