package dev.runnel.querier.ingester;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.model.Series;
import dev.runnel.querier.promql.value.FloatHistogram;

/**
 * A series as the ingester streamed it, read in place: the iterator walks the message's packed
 * timestamp and value arrays with primitive getters, so no float sample is boxed or copied.
 * Native histogram samples are merged in by timestamp and converted to float histograms when
 * read; custom-bucket histograms (schema -53), which the engine cannot evaluate, are skipped.
 */
final class ProtoSeries implements Series {

    private final Labels labels;
    private final dev.runnel.proto.ingester.v1.Series message;

    ProtoSeries(dev.runnel.proto.ingester.v1.Series message) {
        int count = message.getLabelsCount();
        if (count % 2 != 0) {
            throw new IllegalArgumentException("series labels need a value for every name, got " + count + " strings");
        }
        if (message.getTimestampsCount() != message.getValuesCount()) {
            throw new IllegalArgumentException("series " + message.getLabelsList() + " has " + message.getTimestampsCount()
                    + " timestamps but " + message.getValuesCount() + " values");
        }
        Labels.Builder builder = Labels.builder();
        for (int i = 0; i < count; i += 2) {
            builder.set(message.getLabels(i), message.getLabels(i + 1));
        }
        this.labels = builder.build();
        this.message = message;
    }

    @Override
    public Labels labels() {
        return labels;
    }

    @Override
    public SampleIterator iterator() {
        int floats = message.getTimestampsCount();
        int histograms = message.getHistogramsCount();
        return new SampleIterator() {
            private int nextFloat;
            private int nextHistogram;
            private long timestamp;
            private double value;
            private int histogram = -1;

            @Override
            public SampleType next() {
                while (nextHistogram < histograms && !ProtoHistograms.supported(message.getHistograms(nextHistogram))) {
                    nextHistogram++;
                }
                boolean haveFloat = nextFloat < floats;
                boolean haveHistogram = nextHistogram < histograms;
                if (haveHistogram && (!haveFloat
                        || message.getHistograms(nextHistogram).getTimestamp() < message.getTimestamps(nextFloat))) {
                    histogram = nextHistogram++;
                    timestamp = message.getHistograms(histogram).getTimestamp();
                    return SampleType.HISTOGRAM;
                }
                if (haveFloat) {
                    timestamp = message.getTimestamps(nextFloat);
                    value = message.getValues(nextFloat++);
                    return SampleType.FLOAT;
                }
                return SampleType.NONE;
            }

            @Override
            public long timestamp() {
                return timestamp;
            }

            @Override
            public double value() {
                return value;
            }

            @Override
            public FloatHistogram histogram() {
                return ProtoHistograms.toFloat(message.getHistograms(histogram));
            }
        };
    }
}
