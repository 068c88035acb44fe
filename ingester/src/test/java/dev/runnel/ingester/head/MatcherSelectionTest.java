package dev.runnel.ingester.head;

import static dev.runnel.ingester.head.HeadTestSupport.labels;
import static dev.runnel.ingester.labels.LabelMatcher.equal;
import static dev.runnel.ingester.labels.LabelMatcher.notEqual;
import static dev.runnel.ingester.labels.LabelMatcher.notRegex;
import static dev.runnel.ingester.labels.LabelMatcher.regex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runnel.ingester.labels.LabelMatcher;
import dev.runnel.ingester.labels.Labels;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MatcherSelectionTest {

    private static final Labels A = Labels.of("__name__", "up", "job", "api", "env", "prod");
    private static final Labels B = Labels.of("__name__", "up", "job", "api", "env", "dev");
    private static final Labels C = Labels.of("__name__", "up", "job", "db");
    private static final Labels D = Labels.of("__name__", "requests", "job", "api-gateway", "env", "");

    private TenantHead head;

    @BeforeEach
    void fill() {
        head = new TenantHead("t", HeadConfig.DEFAULT);
        for (Labels l : List.of(A, B, C, D)) {
            head.append(l, 1000, 1);
        }
    }

    @Test
    void seriesComeSortedByLabelsNotInTheOrderTheyWereCreated() {
        assertThat(labels(head)).containsExactly(D, B, A, C);
    }

    @Test
    void equalAndNotEqual() {
        assertThat(labels(head, equal("job", "api"))).containsExactly(B, A);
        assertThat(labels(head, equal("__name__", "up"), notEqual("env", "prod"))).containsExactly(B, C);
        assertThat(labels(head, equal("job", "nope"))).isEmpty();
        assertThat(labels(head, equal("nope", "x"))).isEmpty();
    }

    @Test
    void emptyValueMatchesSeriesWithoutTheLabel() {
        // D was given env="", which, as in Prometheus, is no label at all.
        assertThat(D.get("env")).isEmpty();
        assertThat(labels(head, equal("env", ""))).containsExactly(D, C);
        assertThat(labels(head, equal("__name__", "up"), equal("env", ""))).containsExactly(C);
        assertThat(labels(head, notEqual("env", ""))).containsExactly(B, A);
        assertThat(labels(head, regex("env", "prod|"))).containsExactly(D, A, C);
        assertThat(labels(head, notRegex("env", ".+"))).containsExactly(D, C);
        assertThat(labels(head, regex("env", ".*"))).containsExactly(D, B, A, C);
        assertThat(labels(head, equal("nope", ""))).containsExactly(D, B, A, C);
    }

    @Test
    void regexesAreAnchored() {
        assertThat(labels(head, regex("job", "api"))).containsExactly(B, A);
        assertThat(labels(head, regex("job", "api.*"))).containsExactly(D, B, A);
        assertThat(labels(head, regex("job", "pi"))).isEmpty();
        assertThat(labels(head, regex("job", "a.i|d."))).containsExactly(B, A, C);
        assertThat(labels(head, notRegex("job", "api"))).containsExactly(D, C);
        assertThat(labels(head, notRegex("job", "a.*"))).containsExactly(C);
        assertThat(labels(head, regex("job", "API"))).isEmpty();
        assertThat(labels(head, regex("job", "(?i)API"))).containsExactly(B, A);
    }

    @Test
    void literalAlternativesAreLookedUp() {
        assertThat(regex("job", "api|db").literalValues()).containsExactly("api", "db");
        assertThat(regex("job", "api.*").literalValues()).isNull();
        assertThat(labels(head, regex("job", "api|db|api"))).containsExactly(B, A, C);
        assertThat(labels(head, notRegex("job", "api|db"))).containsExactly(D);
    }

    @Test
    void invalidRegexSaysWhatIsWrong() {
        assertThatThrownBy(() -> regex("job", "a("))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job=~\"a(\"");
    }

    @Test
    void labelNamesAndValues() {
        assertThat(head.querier().labelNames(List.of())).containsExactly("__name__", "env", "job");
        assertThat(head.querier().labelNames(List.of(equal("job", "db")))).containsExactly("__name__", "job");
        assertThat(head.querier().labelValues("job", List.of())).containsExactly("api", "api-gateway", "db");
        assertThat(head.querier().labelValues("env", List.of(equal("job", "api")))).containsExactly("dev", "prod");
        assertThat(head.querier().labelValues("nope", List.of())).isEmpty();
    }

    @Test
    void allMatchersKindsTogether() {
        List<LabelMatcher> m = List.of(regex("__name__", "up|requests"), notEqual("job", "db"), notRegex("env", "d.v"));
        assertThat(labels(head, m.toArray(LabelMatcher[]::new))).containsExactly(D, A);
    }
}
