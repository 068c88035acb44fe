package dev.runnel.distributor.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteHashingTest {

    /** Pinned: series hashes, and so the partition of every series, are built on these. */
    @ParameterizedTest
    @CsvSource({"'', 366952581", "a, -1105418611", "__name__, 622682181", "http_requests_total, -1405725523",
            "10.0.3.17:9090, -147391300"})
    void theHashIsPinned(String s, int expected) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        assertThat(ByteHashing.hash(b, 0, b.length)).isEqualTo(expected);
    }

    /** The same bytes hash the same wherever they lie: at an array's start or end, in short or long arrays. */
    @Test
    void dependsOnlyOnTheBytesOfTheRange() {
        Random random = new Random(5);
        byte[] big = new byte[64];
        random.nextBytes(big);
        for (int offset = 0; offset < big.length; offset++) {
            for (int length = 0; offset + length <= big.length; length++) {
                byte[] alone = Arrays.copyOfRange(big, offset, offset + length);
                assertThat(ByteHashing.hash(big, offset, length)).as("offset %d length %d", offset, length)
                        .isEqualTo(ByteHashing.hash(alone, 0, length));
            }
        }
    }
}
