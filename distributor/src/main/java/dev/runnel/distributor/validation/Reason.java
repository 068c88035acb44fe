package dev.runnel.distributor.validation;

/** Why validation discarded something: the {@code reason} label of the discard counters, as Mimir names them. */
enum Reason {
    MISSING_METRIC_NAME,
    METRIC_NAME_INVALID,
    MAX_LABEL_NAMES_PER_SERIES,
    LABEL_INVALID,
    LABEL_NAME_TOO_LONG,
    LABEL_VALUE_INVALID,
    LABEL_VALUE_TOO_LONG,
    DUPLICATE_LABEL_NAMES,
    TOO_FAR_IN_FUTURE,
    TOO_FAR_IN_PAST,
    INVALID_NATIVE_HISTOGRAM_SCHEMA,
    INVALID_NATIVE_HISTOGRAM,

    EXEMPLAR_LABELS_MISSING,
    EXEMPLAR_TIMESTAMP_INVALID,
    EXEMPLAR_LABELS_TOO_LONG,
    EXEMPLAR_LABELS_BLANK,
    EXEMPLAR_TOO_OLD,
    EXEMPLAR_TOO_FAR_IN_FUTURE,

    METADATA_MISSING_METRIC_NAME("missing_metric_name"),
    METRIC_NAME_TOO_LONG,
    UNIT_TOO_LONG;

    static final Reason[] ALL = values();

    final String label;

    Reason() {
        this.label = name().toLowerCase(java.util.Locale.ROOT);
    }

    Reason(String label) {
        this.label = label;
    }
}
