package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LatencyProfileTest {

    @ParameterizedTest
    @CsvSource({
            "s3-standard, false, 30, 200",
            "s3-standard, true,  20, 150",
            "s3-express,  false,  5,  20",
            "s3-express,  true,   4,  15"})
    void drawsHaveTheProfilesMedianAndP99(String profile, boolean read, double medianMs, double p99Ms) {
        SplittableRandom random = new SplittableRandom(42);
        long[] micros = new long[200_000];
        for (int i = 0; i < micros.length; i++) {
            micros[i] = LatencyProfile.parse(profile).sampleMicros(read, random);
        }
        Arrays.sort(micros);
        assertThat(micros[micros.length / 2] / 1000.0).isCloseTo(medianMs, within(medianMs * 0.03));
        assertThat(micros[(int) (micros.length * 0.99)] / 1000.0).isCloseTo(p99Ms, within(p99Ms * 0.05));
        assertThat(micros[0]).isPositive();
    }

    @Test
    void noneAddsNothing() {
        assertThat(LatencyProfile.NONE.sampleMicros(false, new SplittableRandom(1))).isZero();
    }

    @Test
    void parsesFlagValuesAndSaysWhatIsAllowed() {
        assertThat(LatencyProfile.parse("none")).isEqualTo(LatencyProfile.NONE);
        assertThat(LatencyProfile.parse("s3-express")).isEqualTo(LatencyProfile.S3_EXPRESS);
        assertThatThrownBy(() -> LatencyProfile.parse("S3_STANDARD")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-object-store.latency-profile must be none, s3-standard or s3-express: \"S3_STANDARD\"");
    }
}
