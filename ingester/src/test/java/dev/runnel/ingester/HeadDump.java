package dev.runnel.ingester;

import dev.runnel.ingester.chunk.SampleIterator;
import dev.runnel.ingester.chunk.ValueType;
import dev.runnel.ingester.head.Heads;
import dev.runnel.ingester.head.TenantHead;
import dev.runnel.ingester.query.SeriesSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Everything queries can see of heads, as text, for comparing two heads in assertions. */
public final class HeadDump {
    private HeadDump() {
    }

    /** Every tenant (sorted): its newest sample time, metadata, and every series with every sample (value bits exact). */
    public static String of(Heads heads) {
        List<TenantHead> tenants = new ArrayList<>(heads.all());
        tenants.sort(Comparator.comparing(TenantHead::tenant));
        StringBuilder out = new StringBuilder();
        for (TenantHead head : tenants) {
            out.append(of(head));
        }
        return out.toString();
    }

    public static String of(TenantHead head) {
        StringBuilder out = new StringBuilder();
        out.append("tenant ").append(head.tenant()).append(" maxTime ").append(head.maxTime()).append('\n');
        out.append("metadata ").append(head.querier().metadata(null).stream()
                .sorted(Comparator.comparing(m -> m.family())).toList()).append('\n');
        SeriesSet set = head.querier().select(Long.MIN_VALUE, Long.MAX_VALUE, List.of());
        while (set.next()) {
            out.append(set.labels()).append(':');
            SampleIterator it = set.samples();
            for (ValueType type = it.next(); type != ValueType.NONE; type = it.next()) {
                out.append(' ').append(it.timestamp()).append('=');
                if (type == ValueType.FLOAT) {
                    out.append(Long.toHexString(Double.doubleToRawLongBits(it.value())));
                } else {
                    out.append('{').append(it.histogram().toString().replace('\n', ' ')).append('}');
                }
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** How many float and histogram samples the heads hold in all. */
    public static long samples(Heads heads) {
        long n = 0;
        for (TenantHead head : heads.all()) {
            SeriesSet set = head.querier().select(Long.MIN_VALUE, Long.MAX_VALUE, List.of());
            while (set.next()) {
                SampleIterator it = set.samples();
                while (it.next() != ValueType.NONE) {
                    n++;
                }
            }
        }
        return n;
    }
}
