package dev.runnel.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Supplies flag values from the YAML file named by {@code -config.file}: the flag
 * {@code -server.http-listen-port} is read from {@code server: {http_listen_port: 8080}}.
 * Values given on the command line win; flags absent from both keep their defaults.
 */
final class YamlDefaults implements CommandLine.IDefaultValueProvider {
    private final JsonNode root;

    private YamlDefaults(JsonNode root) {
        this.root = root;
    }

    /**
     * The defaults from the file that {@code -config.file} names in {@code args}, or null when
     * there is none. The file must be read before picocli parses the arguments, since it fills
     * in the flags' defaults.
     */
    static YamlDefaults fromArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("-config.file=")) {
                return load(Path.of(args[i].substring("-config.file=".length())));
            }
            if (args[i].equals("-config.file") && i + 1 < args.length) {
                return load(Path.of(args[i + 1]));
            }
        }
        return null;
    }

    static YamlDefaults load(Path file) {
        try {
            JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
            return new YamlDefaults(root == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
    }

    /** The top-level block {@code key} of the file (a missing node if absent), for settings that are not flags. */
    JsonNode block(String key) {
        return root.path(key);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec argSpec) {
        if (!(argSpec instanceof CommandLine.Model.OptionSpec option)) {
            return null;
        }
        JsonNode node = root;
        for (String part : option.longestName().substring(1).split("\\.")) {
            node = node.path(part.replace('-', '_'));
        }
        if (node.isMissingNode() || node.isNull()) {
            return argSpec.defaultValue();
        }
        if (node.isContainerNode()) {
            throw new CommandLine.ParameterException(argSpec.command().commandLine(),
                    "config key for " + option.longestName() + " must be a value, not a " + node.getNodeType());
        }
        return node.asText();
    }
}
