package dev.runnel.distributor.sharding;

import dev.runnel.distributor.write.WriteBatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The stable 32-bit hash that places a series on the partition ring: a function of the tenant
 * and the series' sorted labels only, so every distributor, whatever protocol the series came
 * in, sends it to the same partition. It must never change once data is written: a new hash
 * would move every series to another partition.
 *
 * <p>Reads eight bytes at a time and mixes each word with multiply-rotate rounds (in the
 * manner of xxHash64), with each string's length mixed in as a separator, then folds the
 * 64-bit state with a final avalanche.
 */
public final class SeriesHash {

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long P1 = 0x9E3779B185EBCA87L;
    private static final long P2 = 0xC2B2AE3D27D4EB4FL;
    private static final long P3 = 0x165667B19E3779F9L;

    private SeriesHash() {
    }

    public static int of(String tenant, WriteBatch batch, int series) {
        long h = ofTenant(tenant);
        byte[] text = batch.text();
        int first = batch.firstLabel(series);
        for (int l = first; l < first + batch.labelCount(series); l++) {
            h = mix(h, text, batch.nameOffset(l), batch.nameLength(l));
            h = mix(h, text, batch.valueOffset(l), batch.valueLength(l));
        }
        return finish(h);
    }

    /** The hash of the series {@code {__name__="<name>"}}, which places a metric family's metadata. */
    public static int ofMetricName(String tenant, String name) {
        byte[] label = "__name__".getBytes(StandardCharsets.US_ASCII);
        byte[] value = name.getBytes(StandardCharsets.UTF_8);
        return finish(mix(mix(ofTenant(tenant), label, 0, label.length), value, 0, value.length));
    }

    private static long ofTenant(String tenant) {
        byte[] bytes = tenant.getBytes(StandardCharsets.UTF_8);
        return mix(P3, bytes, 0, bytes.length);
    }

    private static long mix(long h, byte[] b, int offset, int length) {
        h = round(h, length);
        int i = offset;
        int end = offset + length;
        for (; i + 8 <= end; i += 8) {
            h = round(h, (long) LONGS.get(b, i));
        }
        long tail = 0;
        for (int shift = 0; i < end; i++, shift += 8) {
            tail |= (b[i] & 0xFFL) << shift;
        }
        return round(h, tail);
    }

    private static long round(long h, long word) {
        h ^= Long.rotateLeft(word * P2, 31) * P1;
        return Long.rotateLeft(h, 27) * P1 + P3;
    }

    private static int finish(long h) {
        h ^= h >>> 33;
        h *= P2;
        h ^= h >>> 29;
        h *= P3;
        h ^= h >>> 32;
        return (int) h;
    }
}
