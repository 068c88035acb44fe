package dev.runnel.ingester.consume;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A record's key as its tenant (UTF-8, distributor/RECORDS.md). Records of one tenant come in
 * runs, so the last key is remembered and its tenant reused. Consumer thread only.
 */
final class TenantKeys {
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] lastKey;
    private String lastTenant;
    private String invalid;

    /** The tenant of {@code key}, or null when it has none; then {@link #invalidReason()} says why. */
    String tenant(byte[] key) {
        if (key == null || key.length == 0) {
            invalid = "the record has no key: it must be the tenant id";
            return null;
        }
        if (Arrays.equals(key, lastKey)) {
            return lastTenant;
        }
        try {
            lastTenant = utf8.decode(ByteBuffer.wrap(key)).toString();
            lastKey = key;
            return lastTenant;
        } catch (CharacterCodingException e) {
            invalid = "the record's key is not UTF-8: it must be the tenant id";
            return null;
        }
    }

    String invalidReason() {
        return invalid;
    }
}
