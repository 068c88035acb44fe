package dev.runnel.distributor.write;

/** What a sender says about a metric family: its type, help text and unit. */
public record MetricMetadata(String family, Type type, String help, String unit) {

    /** Metric types, numbered as in remote write 1.0's MetricMetadata.MetricType. */
    public enum Type {
        UNKNOWN, COUNTER, GAUGE, HISTOGRAM, GAUGEHISTOGRAM, SUMMARY, INFO, STATESET;

        private static final Type[] BY_NUMBER = values();

        /** The type with remote write's number, UNKNOWN for numbers this build does not know. */
        public static Type forNumber(int number) {
            return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : UNKNOWN;
        }
    }
}
