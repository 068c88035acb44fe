package dev.runnel.loadgen.send;

import dev.runnel.loadgen.wire.Protocol;
import java.net.URI;
import java.time.Duration;

/**
 * Where and how requests go.
 *
 * @param timeout how long one HTTP exchange may take before it counts as a network error (and is retried)
 */
public record Target(URI url, Protocol protocol, String userAgent, Duration timeout) {
    public Target {
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("url must be http:// or https://: " + url);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /** The {@code X-Scope-OrgID} of tenant number {@code tenant} (0-based). */
    public static String tenantId(int tenant) {
        return "tenant-" + (tenant + 1);
    }
}
