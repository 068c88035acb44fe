package dev.runnel.distributor.validation;

import dev.runnel.distributor.write.Exemplar;
import java.util.List;

/** Mimir's checks of one exemplar; a failing exemplar is dropped, its series kept. */
final class ExemplarRules {

    /** OpenMetrics: an exemplar's label names and values together are at most 128 characters. */
    static final int MAX_LABEL_SET_CHARACTERS = 128;

    private ExemplarRules() {
    }

    /** Why the exemplar is rejected with an error, or null if it is not. */
    static Reason problem(Exemplar e) {
        List<String> labels = e.labels();
        if (labels.isEmpty()) {
            return Reason.EXEMPLAR_LABELS_MISSING;
        }
        if (e.timestamp() == 0) {
            return Reason.EXEMPLAR_TIMESTAMP_INVALID;
        }
        int characters = 0;
        boolean nonBlank = false;
        for (int i = 0; i < labels.size(); i += 2) {
            String name = labels.get(i);
            String value = labels.get(i + 1);
            characters += name.codePointCount(0, name.length()) + value.codePointCount(0, value.length());
            nonBlank |= !name.isEmpty() && !value.isEmpty();
        }
        if (characters > MAX_LABEL_SET_CHARACTERS) {
            return Reason.EXEMPLAR_LABELS_TOO_LONG;
        }
        return nonBlank ? null : Reason.EXEMPLAR_LABELS_BLANK;
    }

    static String message(Reason reason) {
        return switch (reason) {
            case EXEMPLAR_LABELS_MISSING -> "received an exemplar without labels";
            case EXEMPLAR_TIMESTAMP_INVALID -> "received an exemplar without a timestamp";
            case EXEMPLAR_LABELS_TOO_LONG -> "received an exemplar whose label names and values together are longer than "
                    + MAX_LABEL_SET_CHARACTERS + " characters";
            case EXEMPLAR_LABELS_BLANK -> "received an exemplar with no label that has both a name and a value";
            default -> throw new IllegalArgumentException("not an exemplar error: " + reason);
        };
    }
}
