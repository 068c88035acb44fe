package dev.runnel.cli;

import dev.runnel.querier.api.ConsistencyLevel;
import dev.runnel.querier.api.QuerierConfig;
import dev.runnel.querier.fanout.OwnerPreference;
import dev.runnel.server.config.Durations;
import java.time.Clock;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Flags of the querier. */
public final class QuerierSettings {
    @Option(names = "-querier.timeout", defaultValue = "2m", description = "The longest a query may run.")
    String timeout;

    @Option(names = "-querier.max-concurrent", defaultValue = "20", description = "Queries evaluated at once; more wait in line.")
    int maxConcurrent;

    @Option(names = "-querier.ingester-timeout", defaultValue = "10s",
            description = "Deadline of each call to an ingester; past it (or on an error) the querier asks the partition's "
                    + "owner in another zone, and fails the query if none answers.")
    String ingesterTimeout;

    @Option(names = "-querier.ingester-heartbeat-timeout", defaultValue = "1m",
            description = "Owners whose ring heartbeat is older are asked only when no owner of the partition has a fresher one.")
    String ingesterHeartbeatTimeout;

    @Option(names = "-querier.read-consistency", defaultValue = "eventual",
            description = "eventual: queries read what the ingesters hold. strong: each query first waits until the ingesters have "
                    + "consumed everything written to the log before it (one end offset lookup per query). A request's "
                    + "X-Read-Consistency header overrides it.")
    String readConsistency;

    QuerierConfig config(boolean multitenancy) {
        QuerierConfig defaults = QuerierConfig.defaults();
        ConsistencyLevel consistency = readConsistency();
        return new QuerierConfig(defaults.lookbackDelta(), defaults.maxSamples(), Durations.parse("-querier.timeout", timeout),
                defaults.defaultSubqueryStep(), maxConcurrent, multitenancy, tenant -> consistency);
    }

    private ConsistencyLevel readConsistency() {
        try {
            return ConsistencyLevel.parse(readConsistency);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-querier.read-consistency: " + e.getMessage(), e);
        }
    }

    /** Which owners the fan-out asks: this zone's first, fresh heartbeats only unless there are none. */
    OwnerPreference owners(String zone) {
        return new OwnerPreference(zone, Durations.parse("-querier.ingester-heartbeat-timeout", ingesterHeartbeatTimeout),
                Clock.systemUTC());
    }

    Duration ingesterTimeout() {
        return Durations.parse("-querier.ingester-timeout", ingesterTimeout);
    }
}
