package dev.runnel.distributor.validation;

import dev.runnel.distributor.write.MetricMetadata;

/**
 * Mimir's checks of metric metadata: a family name is required, family name and unit may be at
 * most {@code max_metadata_length} bytes, and a longer help text is cut to that length.
 */
final class MetadataRules {

    private MetadataRules() {
    }

    /** Why the metadata is dropped, or null. */
    static Reason problem(MetricMetadata m, int maxLength) {
        if (m.family().isEmpty()) {
            return Reason.METADATA_MISSING_METRIC_NAME;
        }
        if (utf8Length(m.family()) > maxLength) {
            return Reason.METRIC_NAME_TOO_LONG;
        }
        return utf8Length(m.unit()) > maxLength ? Reason.UNIT_TOO_LONG : null;
    }

    static String message(Reason reason, MetricMetadata m, int maxLength) {
        return switch (reason) {
            case METADATA_MISSING_METRIC_NAME -> "received metric metadata without a metric family name";
            case METRIC_NAME_TOO_LONG -> "received metric metadata whose metric family name is longer than max_metadata_length ("
                    + maxLength + " bytes): " + Messages.quote(m.family());
            case UNIT_TOO_LONG -> "received metric metadata whose unit is longer than max_metadata_length (" + maxLength
                    + " bytes): " + Messages.quote(m.unit()) + ", metric family: " + Messages.quote(m.family());
            default -> throw new IllegalArgumentException("not a metadata error: " + reason);
        };
    }

    /** The metadata with its help text cut to at most {@code maxLength} UTF-8 bytes, or itself. */
    static MetricMetadata withShortHelp(MetricMetadata m, int maxLength) {
        String help = m.help();
        if (help.length() <= maxLength / 3 || utf8Length(help) <= maxLength) {
            return m;
        }
        int bytes = 0;
        int end = 0;
        while (end < help.length()) {
            int cp = help.codePointAt(end);
            int size = utf8Length(cp);
            if (bytes + size > maxLength) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return new MetricMetadata(m.family(), m.type(), help.substring(0, end), m.unit());
    }

    static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            bytes += utf8Length(cp);
            i += Character.charCount(cp);
        }
        return bytes;
    }

    private static int utf8Length(int codePoint) {
        return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
    }
}
