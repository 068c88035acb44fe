package dev.runnel.ingester.head;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The ingester's heads, one per tenant, created on the tenant's first record. */
public final class Heads {

    private final HeadConfig config;
    private final ConcurrentMap<String, TenantHead> byTenant = new ConcurrentHashMap<>();

    public Heads(HeadConfig config) {
        this.config = config;
    }

    /** The tenant's head, created if it has none yet. */
    public TenantHead forTenant(String tenant) {
        TenantHead head = byTenant.get(tenant);
        return head != null ? head : byTenant.computeIfAbsent(tenant, t -> new TenantHead(t, config));
    }

    /** The tenant's head, or null if it has none. */
    public TenantHead get(String tenant) {
        return byTenant.get(tenant);
    }

    public Collection<TenantHead> all() {
        return List.copyOf(byTenant.values());
    }

    /** Freezes every tenant's head for a snapshot ({@link TenantHead#capture()}), by tenant; on the appender thread. */
    public List<TenantState> capture() {
        List<TenantState> tenants = new ArrayList<>();
        for (TenantHead head : byTenant.values()) {
            tenants.add(head.capture());
        }
        tenants.sort(Comparator.comparing(TenantState::tenant));
        return tenants;
    }

    /** Collects old chunks and series in every head ({@link TenantHead#gc()}); from the appender thread. Returns series collected. */
    public int gc() {
        int collected = 0;
        for (TenantHead head : new ArrayList<>(byTenant.values())) {
            collected += head.gc();
        }
        return collected;
    }
}
