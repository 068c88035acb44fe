package dev.runnel.distributor.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FloatFormatTest {

    @ParameterizedTest(name = "{0} -> {1} / {2}")
    @CsvSource({
            "0.005,      0.005,                  0.005",
            "10,         10,                     10",
            "-2.5,       -2.5,                   -2.5",
            "1e-10,      0.0000000001,           1e-10",
            "1.5e-7,     0.00000015,             1.5e-7",
            "1e21,       1000000000000000000000, 1e+21",
            "1.25e22,    12500000000000000000000, 1.25e+22",
            "123456789,  123456789,              123456789",
            "0.30000000000000004, 0.30000000000000004, 0.30000000000000004",
            "0,          0,                      0",
            "-0.0,       -0,                     -0",
            "Infinity,   +Inf,                   +Inf",
            "-Infinity,  -Inf,                   -Inf",
            "NaN,        NaN,                    NaN",
    })
    void printsLikeGo(double v, String plain, String javascript) {
        assertThat(FloatFormat.plain(v)).isEqualTo(plain);
        assertThat(FloatFormat.javascript(v)).isEqualTo(javascript);
    }
}
