package dev.runnel.distributor.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelNamerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "http.method      | http_method",
            "foo-bar/baz      | foo_bar_baz",
            "123abc           | key_123abc",
            "_foo             | key_foo",
            "__foo            | __foo",
            "__name__         | __name__",
            "ñ                | key_",
            "k8s.pod.name     | k8s_pod_name",
            "..               | null",
            "''               | null",
    })
    void sanitizesLikePrometheus(String key, String expected) {
        assertThat(new LabelNamer(false).build(key)).isEqualTo(expected);
    }

    @Test
    void keepsUtf8KeysButNotEmptyOnes() {
        LabelNamer namer = new LabelNamer(true);
        assertThat(namer.build("http.method")).isEqualTo("http.method");
        assertThat(namer.build("1ñ")).isEqualTo("1ñ");
        assertThat(namer.build("")).isNull();
    }

    @Test
    void remembersWhatItBuilt() {
        LabelNamer namer = new LabelNamer(false);
        assertThat(namer.build("a.b")).isSameAs(namer.build("a.b"));
        assertThat(namer.build("..")).isNull();
        assertThat(namer.build("..")).isNull();
    }
}
