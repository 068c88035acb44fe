package dev.runnel.distributor.otlp;

import java.util.List;
import java.util.Objects;

/**
 * A tenant's switches for translating OTLP metrics; {@link #DEFAULTS} are Mimir's defaults.
 *
 * @param addSuffixes                       add unit suffixes ({@code _seconds}, {@code _bytes},
 *                                          {@code _per_second}), {@code _total} to monotonic sums and
 *                                          {@code _ratio} to gauges of unit "1" (Mimir's
 *                                          {@code otel_metric_suffixes_enabled})
 * @param utf8Names                         keep metric and label names as sent (UTF-8) instead of
 *                                          replacing characters outside {@code [a-zA-Z0-9_:]} with {@code _}
 * @param promoteResourceAttributes         resource attributes copied onto every series of the resource
 * @param keepIdentifyingResourceAttributes keep {@code service.name}, {@code service.namespace} and
 *                                          {@code service.instance.id} on {@code target_info} too
 * @param convertHistogramsToNhcb           send explicit-bucket histograms as native histograms with
 *                                          custom buckets instead of {@code _bucket}/{@code _sum}/{@code _count}
 * @param promoteScopeMetadata              add {@code otel_scope_name}, {@code otel_scope_version},
 *                                          {@code otel_scope_schema_url} and {@code otel_scope_<attribute>}
 */
public record OtlpOptions(boolean addSuffixes, boolean utf8Names, List<String> promoteResourceAttributes,
                          boolean keepIdentifyingResourceAttributes, boolean convertHistogramsToNhcb,
                          boolean promoteScopeMetadata) {

    public static final OtlpOptions DEFAULTS = new OtlpOptions(false, false, List.of(), false, false, false);

    public OtlpOptions {
        promoteResourceAttributes = List.copyOf(Objects.requireNonNull(promoteResourceAttributes,
                "promoteResourceAttributes must not be null"));
    }

    public OtlpOptions withAddSuffixes(boolean value) {
        return new OtlpOptions(value, utf8Names, promoteResourceAttributes, keepIdentifyingResourceAttributes,
                convertHistogramsToNhcb, promoteScopeMetadata);
    }

    public OtlpOptions withUtf8Names(boolean value) {
        return new OtlpOptions(addSuffixes, value, promoteResourceAttributes, keepIdentifyingResourceAttributes,
                convertHistogramsToNhcb, promoteScopeMetadata);
    }

    public OtlpOptions withPromoteResourceAttributes(List<String> value) {
        return new OtlpOptions(addSuffixes, utf8Names, value, keepIdentifyingResourceAttributes,
                convertHistogramsToNhcb, promoteScopeMetadata);
    }

    public OtlpOptions withKeepIdentifyingResourceAttributes(boolean value) {
        return new OtlpOptions(addSuffixes, utf8Names, promoteResourceAttributes, value,
                convertHistogramsToNhcb, promoteScopeMetadata);
    }

    public OtlpOptions withConvertHistogramsToNhcb(boolean value) {
        return new OtlpOptions(addSuffixes, utf8Names, promoteResourceAttributes, keepIdentifyingResourceAttributes,
                value, promoteScopeMetadata);
    }

    public OtlpOptions withPromoteScopeMetadata(boolean value) {
        return new OtlpOptions(addSuffixes, utf8Names, promoteResourceAttributes, keepIdentifyingResourceAttributes,
                convertHistogramsToNhcb, value);
    }
}
