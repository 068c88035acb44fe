package dev.runnel.loadgen.verify;

import java.util.List;
import java.util.Locale;

/**
 * The outcome of reading back what loadgen wrote. Success is nothing missing, duplicated or wrong; samples that are
 * present though never acknowledged are legitimate (a request may fail after it was written, and its retry then
 * writes it again) and reported apart.
 *
 * @param acknowledged          samples the target answered 2xx
 * @param found                 acknowledged samples read back exactly once with the right value
 * @param missing               acknowledged samples not read back
 * @param duplicated            samples read back more than once (one count per extra copy)
 * @param wrong                 samples read back that loadgen never sent so (labels, timestamp or value)
 * @param unacknowledgedPresent samples read back that were sent but never acknowledged
 * @param queries               queries of the pass
 * @param seconds               how long the pass took
 */
public record VerifyResult(long acknowledged, long found, long missing, long duplicated, long wrong,
                           long unacknowledgedPresent, List<String> missingExamples, List<String> duplicatedExamples,
                           List<String> wrongExamples, int queries, double seconds) {
    public VerifyResult {
        missingExamples = List.copyOf(missingExamples);
        duplicatedExamples = List.copyOf(duplicatedExamples);
        wrongExamples = List.copyOf(wrongExamples);
    }

    public boolean ok() {
        return missing == 0 && duplicated == 0 && wrong == 0;
    }

    /** The same counts (examples and timings aside): nothing changed between two passes. */
    boolean sameCounts(VerifyResult o) {
        return o != null && acknowledged == o.acknowledged && found == o.found && missing == o.missing
                && duplicated == o.duplicated && wrong == o.wrong && unacknowledgedPresent == o.unacknowledgedPresent;
    }

    /** The table printed after the load's. */
    public String table(int passes) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "verification: %d pass%s; the last: %d queries in %.1f s%n",
                passes, passes == 1 ? "" : "es", queries, seconds));
        row(sb, "samples acknowledged", acknowledged, "");
        row(sb, "found", found, "");
        row(sb, "missing", missing, "acknowledged, not read back");
        row(sb, "duplicated", duplicated, "read back more than once");
        row(sb, "wrong", wrong, "labels, timestamp or value never sent");
        row(sb, "unacknowledged but present", unacknowledgedPresent, "sent, never answered 2xx: may be written, not an error");
        examples(sb, "missing", missingExamples);
        examples(sb, "duplicated", duplicatedExamples);
        examples(sb, "wrong", wrongExamples);
        sb.append(ok() ? "verify: OK\n" : "verify: FAILED\n");
        return sb.toString();
    }

    private static void row(StringBuilder sb, String what, long n, String note) {
        sb.append(String.format(Locale.ROOT, "  %-28s %,15d%s%n", what, n, note.isEmpty() ? "" : "   (" + note + ")"));
    }

    private static void examples(StringBuilder sb, String what, List<String> examples) {
        for (String e : examples) {
            sb.append("  ").append(what).append(": ").append(e).append('\n');
        }
    }
}
