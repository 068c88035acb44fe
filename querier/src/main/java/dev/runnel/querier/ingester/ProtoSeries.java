package dev.runnel.querier.ingester;

import dev.runnel.querier.promql.model.Labels;
import dev.runnel.querier.promql.model.SampleIterator;
import dev.runnel.querier.promql.model.SampleType;
import dev.runnel.querier.promql.model.Series;

/**
 * A series as the ingester streamed it, read in place: the iterator walks the message's packed
 * timestamp and value arrays with primitive getters, so nothing is boxed or copied. Native
 * histogram samples are skipped until the engine's {@link SampleType} has a kind for them.
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
        int count = message.getTimestampsCount();
        return new SampleIterator() {
            private int index = -1;

            @Override
            public SampleType next() {
                return ++index < count ? SampleType.FLOAT : SampleType.NONE;
            }

            @Override
            public long timestamp() {
                return message.getTimestamps(index);
            }

            @Override
            public double value() {
                return message.getValues(index);
            }
        };
    }
}
