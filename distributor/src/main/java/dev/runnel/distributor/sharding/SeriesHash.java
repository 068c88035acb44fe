package dev.runnel.distributor.sharding;

import dev.runnel.distributor.write.ByteHashing;
import dev.runnel.distributor.write.WriteBatch;
import java.nio.charset.StandardCharsets;

/**
 * The stable 32-bit hash that places a series on the partition ring: a function of the tenant
 * and the series' sorted labels only, so every distributor, whatever protocol the series came
 * in, sends it to the same partition. It must never change once data is written: a new hash
 * would move every series to another partition.
 */
public final class SeriesHash {

    private static final byte[] NAME_LABEL = "__name__".getBytes(StandardCharsets.US_ASCII);

    private SeriesHash() {
    }

    public static int of(String tenant, WriteBatch batch, int series) {
        long h = ofTenant(tenant);
        byte[] text = batch.text();
        int first = batch.firstLabel(series);
        for (int l = first; l < first + batch.labelCount(series); l++) {
            h = ByteHashing.mix(h, text, batch.nameOffset(l), batch.nameLength(l));
            h = ByteHashing.mix(h, text, batch.valueOffset(l), batch.valueLength(l));
        }
        return ByteHashing.finish(h);
    }

    /** The hash of the series {@code {__name__="<name>"}}, which places a metric family's metadata. */
    public static int ofMetricName(String tenant, String name) {
        byte[] value = name.getBytes(StandardCharsets.UTF_8);
        long h = ByteHashing.mix(ofTenant(tenant), NAME_LABEL, 0, NAME_LABEL.length);
        return ByteHashing.finish(ByteHashing.mix(h, value, 0, value.length));
    }

    private static long ofTenant(String tenant) {
        byte[] bytes = tenant.getBytes(StandardCharsets.UTF_8);
        return ByteHashing.mix(ByteHashing.SEED, bytes, 0, bytes.length);
    }
}
