package dev.runnel.cli;

import dev.runnel.querier.api.QuerierConfig;
import dev.runnel.server.config.Durations;
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

    QuerierConfig config(boolean multitenancy) {
        QuerierConfig defaults = QuerierConfig.defaults();
        return new QuerierConfig(defaults.lookbackDelta(), defaults.maxSamples(), Durations.parse("-querier.timeout", timeout),
                defaults.defaultSubqueryStep(), maxConcurrent, multitenancy);
    }

    Duration ingesterTimeout() {
        return Durations.parse("-querier.ingester-timeout", ingesterTimeout);
    }
}
