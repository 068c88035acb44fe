package dev.runnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The runnel binary. Like Mimir, one binary runs any component chosen by {@code -target}; the
 * default {@code all} runs every component in one process, talking to each other over the same
 * protocols they use across machines.
 */
@Command(name = "runnel", mixinStandardHelpOptions = true, versionProvider = Runnel.Version.class,
        description = "Runnel: a metrics pipeline on a diskless Kafka-protocol log.",
        sortOptions = false, usageHelpWidth = 120)
public final class Runnel implements Callable<Integer> {

    @Option(names = "-target", split = ",", description = "Components to run, comma-separated: ${COMPLETION-CANDIDATES}. "
            + "Default: ${DEFAULT-VALUE}.", defaultValue = "all")
    List<Target> target;

    @Option(names = "-config.file", description = "YAML file with settings; every flag has a key there (see README).")
    String configFile;

    @Mixin
    Settings settings;

    /** The config file, also read for blocks that are not flags ({@code limits:}); null without one. */
    private YamlDefaults config;

    public static void main(String[] args) {
        System.exit(commandLine(args).execute(args));
    }

    static CommandLine commandLine(String[] args) {
        Runnel runnel = new Runnel();
        runnel.config = YamlDefaults.fromArgs(args);
        CommandLine commandLine = new CommandLine(runnel);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setDefaultValueProvider(runnel.config);
        return commandLine;
    }

    @Override
    public Integer call() throws Exception {
        try (Process process = Process.start(EnumSet.copyOf(target), settings, limitsBlock())) {
            process.awaitShutdown();
        }
        return 0;
    }

    /** The config file's {@code limits:} block: every tenant's limits, before runtime overrides. */
    JsonNode limitsBlock() {
        return config == null ? MissingNode.getInstance() : config.block("limits");
    }

    /**
     * What a process runs. {@code all} is the agent, the distributor, one ingester per partition
     * of the ingest topic in the process' zone and the querier; {@code ingester} is the one
     * ingester named by {@code -ingester.ring.instance-id}; {@code querier} serves the Prometheus
     * query API over the ingesters of the ring.
     */
    enum Target {
        all, agent, distributor, ingester, querier;

        static boolean runs(Set<Target> targets, Target component) {
            return targets.contains(all) || targets.contains(component);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Runnel.class.getPackage().getImplementationVersion();
            return new String[] {"runnel " + (version == null ? "dev" : version)};
        }
    }
}
