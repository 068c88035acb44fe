package dev.runnel.distributor.sharding;

import dev.runnel.distributor.write.ByteHashing;
import dev.runnel.distributor.write.WriteBatch;
import java.nio.charset.StandardCharsets;

/**
 * The stable 32-bit hash that places a series on the partition ring: a function of the tenant
 * and the series' sorted labels only, so every distributor, whatever protocol the series came
 * in, sends it to the same partition. It must never change once data is written: a new hash
 * would move every series to another partition ({@code SeriesHashTest} pins a few values).
 *
 * <p>Definition: start from {@code mix(SEED, tenant's UTF-8 bytes)}; for each label in name
 * order, mix the word {@code hash(name) << 32 | hash(value)} (the {@link ByteHashing#hash} of
 * each string's UTF-8 bytes, unsigned); {@link ByteHashing#finish} the state. Built on the
 * per-string hashes the batch already holds, it reads no label byte again.
 */
public final class SeriesHash {

    private static final byte[] NAME_LABEL = "__name__".getBytes(StandardCharsets.US_ASCII);
    private static final int NAME_HASH = ByteHashing.hash(NAME_LABEL, 0, NAME_LABEL.length);

    private SeriesHash() {
    }

    public static int of(String tenant, WriteBatch batch, int series) {
        return of(ofTenant(tenant), batch, series);
    }

    /** The hash of the series for a tenant whose {@link #ofTenant} is {@code tenantState}: computed once per request. */
    public static int of(long tenantState, WriteBatch batch, int series) {
        long h = tenantState;
        int first = batch.firstLabel(series);
        for (int l = first; l < first + batch.labelCount(series); l++) {
            h = mixLabel(h, batch.nameHash(l), batch.valueHash(l));
        }
        return ByteHashing.finish(h);
    }

    /** The hash of the series {@code {__name__="<name>"}}, which places a metric family's metadata. */
    public static int ofMetricName(String tenant, String name) {
        byte[] value = name.getBytes(StandardCharsets.UTF_8);
        return ByteHashing.finish(mixLabel(ofTenant(tenant), NAME_HASH, ByteHashing.hash(value, 0, value.length)));
    }

    private static long mixLabel(long h, int nameHash, int valueHash) {
        return ByteHashing.mixWord(h, ((long) nameHash << 32) | (valueHash & 0xFFFFFFFFL));
    }

    /** The running state after the tenant, where every series hash of the tenant starts. */
    public static long ofTenant(String tenant) {
        byte[] bytes = tenant.getBytes(StandardCharsets.UTF_8);
        return ByteHashing.mix(ByteHashing.SEED, bytes, 0, bytes.length);
    }
}
