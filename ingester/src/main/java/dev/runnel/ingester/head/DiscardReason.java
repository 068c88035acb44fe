package dev.runnel.ingester.head;

/** Why the head did not keep a sample; the {@code reason} label of the discarded-samples counter. */
public enum DiscardReason {
    /** Older than the series' newest sample, with out-of-order ingestion off. */
    OUT_OF_ORDER("out_of_order"),
    /** Older than the retention (or, with out-of-order ingestion on, the out-of-order window) allows. */
    TOO_OLD("too_old"),
    /** Same timestamp as the series' newest sample (or a pending out-of-order one), different value. */
    DUPLICATE_SAMPLE_FOR_TIMESTAMP("duplicate_sample_for_timestamp"),
    /** Its series would have been new, and the tenant already has the most series allowed. */
    PER_USER_SERIES_LIMIT("per_user_series_limit");

    private final String label;

    DiscardReason(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
