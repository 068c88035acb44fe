package dev.runnel.distributor.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "_", "job", "__name__", "A_1", "le"})
    void validLabelNames(String name) {
        assertThat(isLabelName(name)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0abc", "a-b", "a.b", "a:b", "é", "a b"})
    void invalidLabelNames(String name) {
        assertThat(isLabelName(name)).isFalse();
    }

    @Test
    void metricNamesMayHaveColons() {
        assertThat(isMetricName("job:up:rate5m")).isTrue();
        assertThat(isMetricName(":a")).isTrue();
        assertThat(isMetricName("0up")).isFalse();
        assertThat(isMetricName("up-time")).isFalse();
        assertThat(isMetricName("")).isFalse();
    }

    @Test
    void utf8EdgeCases() {
        assertThat(isUtf8(bytes("plain ascii"))).isTrue();
        assertThat(isUtf8("é€😀".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(isUtf8(bytes(0xF4, 0x8F, 0xBF, 0xBF))).as("U+10FFFF").isTrue();
        assertThat(isUtf8(bytes(0xF4, 0x90, 0x80, 0x80))).as("above U+10FFFF").isFalse();
        assertThat(isUtf8(bytes(0xC0, 0xAF))).as("overlong /").isFalse();
        assertThat(isUtf8(bytes(0xE0, 0x80, 0xAF))).as("overlong 3 bytes").isFalse();
        assertThat(isUtf8(bytes(0xED, 0xA0, 0x80))).as("surrogate").isFalse();
        assertThat(isUtf8(bytes(0xE2, 0x82))).as("truncated").isFalse();
        assertThat(isUtf8(bytes(0x80))).as("lone continuation").isFalse();
        assertThat(isUtf8(bytes(0xFF))).isFalse();
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int n = 0; n < 50_000; n++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextBoolean() ? 0x80 | random.nextInt(0x80) : random.nextInt(256));
            }
            assertThat(isUtf8(b)).as("%s", java.util.HexFormat.of().formatHex(b)).isEqualTo(jdkAccepts(b));
        }
    }

    /** Longer, mostly ASCII strings: the eight-bytes-at-a-time path must hand over at any position. */
    @Test
    void agreesWithTheJdkDecoderOnLongMostlyAsciiBytes() {
        Random random = new Random(43);
        for (int n = 0; n < 50_000; n++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (random.nextInt(20) == 0 ? 0x80 | random.nextInt(0x80) : random.nextInt(0x80));
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            byte[] range = java.util.Arrays.copyOfRange(b, from, b.length);
            assertThat(LabelSyntax.isUtf8(b, from, b.length - from)).as("%s", java.util.HexFormat.of().formatHex(range))
                    .isEqualTo(jdkAccepts(range));
        }
        assertThat(isUtf8(bytes("sixteen ascii by\u00e9"))).isTrue();
        assertThat(isUtf8(bytes("0123456789abcdef", 0xC3))).as("truncated after sixteen ASCII bytes").isFalse();
    }

    @Test
    void checksOnlyTheGivenRange() {
        byte[] b = {(byte) 0xFF, 'a', 'b', (byte) 0xFF};
        assertThat(LabelSyntax.isUtf8(b, 1, 2)).isTrue();
        assertThat(LabelSyntax.isLabelName(b, 1, 2)).isTrue();
    }

    private static boolean jdkAccepts(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static boolean isLabelName(String s) {
        byte[] b = bytes(s);
        return LabelSyntax.isLabelName(b, 0, b.length);
    }

    private static boolean isMetricName(String s) {
        byte[] b = bytes(s);
        return LabelSyntax.isMetricName(b, 0, b.length);
    }

    private static boolean isUtf8(byte[] b) {
        return LabelSyntax.isUtf8(b, 0, b.length);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String ascii, int last) {
        byte[] b = java.util.Arrays.copyOf(bytes(ascii), ascii.length() + 1);
        b[ascii.length()] = (byte) last;
        return b;
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }
}
