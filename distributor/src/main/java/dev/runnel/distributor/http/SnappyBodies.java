package dev.runnel.distributor.http;

import java.io.IOException;
import org.xerial.snappy.Snappy;

/**
 * Decompresses snappy block-format bodies. The uncompressed length in the block's header is
 * checked against the limit before anything is allocated, so a small body cannot make the
 * distributor allocate gigabytes.
 */
final class SnappyBodies {

    private SnappyBodies() {
    }

    static byte[] decompress(byte[] compressed, int maxBytes) throws Rejected {
        int length;
        try {
            length = Snappy.uncompressedLength(compressed, 0, compressed.length);
        } catch (IOException | RuntimeException e) {
            throw malformed(e);
        }
        if (length < 0) {
            throw new Rejected(400, "the body is not valid snappy block format: its header gives a negative length");
        }
        if (length > maxBytes) {
            throw new Rejected(413, "the uncompressed body would be " + length + " bytes, more than -distributor.max-recv-msg-size ("
                    + maxBytes + " bytes)");
        }
        byte[] out = new byte[length];
        try {
            int written = Snappy.uncompress(compressed, 0, compressed.length, out, 0);
            if (written != length) {
                throw new Rejected(400, "the body is not valid snappy block format: it holds " + written
                        + " bytes where its header says " + length);
            }
        } catch (IOException | RuntimeException e) {
            throw malformed(e);
        }
        return out;
    }

    private static Rejected malformed(Exception e) {
        return new Rejected(400, "the body is not valid snappy block format: " + e.getMessage());
    }
}
