package dev.runnel.distributor.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ByteRangesTest {

    /** Every range of two arrays against every other of the same length, in short and long arrays: as Arrays.equals says. */
    @Test
    void agreesWithArraysEquals() {
        Random random = new Random(3);
        for (int size : new int[] {3, 9, 40}) {
            byte[] a = new byte[size];
            byte[] b = new byte[size + 5];
            for (int round = 0; round < 20; round++) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (byte) random.nextInt(3); // few distinct bytes, so that many ranges are equal
                }
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) random.nextInt(3);
                }
                for (int length = 0; length <= a.length; length++) {
                    for (int ao = 0; ao + length <= a.length; ao++) {
                        for (int bo = 0; bo + length <= b.length; bo++) {
                            assertThat(ByteRanges.equal(a, ao, b, bo, length))
                                    .as("a at %d, b at %d, length %d", ao, bo, length)
                                    .isEqualTo(Arrays.equals(a, ao, ao + length, b, bo, bo + length));
                        }
                    }
                }
            }
        }
    }

    @Test
    void aDifferenceInAnyByteIsSeen() {
        byte[] a = "http_requests_total".getBytes();
        for (int i = 0; i < a.length; i++) {
            byte[] b = a.clone();
            b[i] ^= (byte) 0x80;
            assertThat(ByteRanges.equal(a, 0, b, 0, a.length)).isFalse();
            assertThat(ByteRanges.equal(a, 0, b, 0, i)).isTrue();
        }
    }
}
