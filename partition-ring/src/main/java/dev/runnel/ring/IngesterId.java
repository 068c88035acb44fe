package dev.runnel.ring;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The naming rule that ties ingesters to partitions: {@code ingester-zone-<zone>-<n>} owns
 * partition {@code n} in zone {@code zone}, so a StatefulSet per zone needs no further config.
 */
public record IngesterId(String zone, int partitionId) {
    private static final Pattern FORMAT = Pattern.compile("ingester-zone-([a-z0-9][a-z0-9-]*)-(\\d{1,9})");

    public IngesterId {
        if (!zone.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("zone \"" + zone + "\" is invalid: must match [a-z0-9][a-z0-9-]*");
        }
        if (partitionId < 0) {
            throw new IllegalArgumentException("partition id must not be negative: " + partitionId);
        }
    }

    public static IngesterId parse(String ingesterId) {
        Matcher m = FORMAT.matcher(ingesterId);
        if (!m.matches()) {
            throw new IllegalArgumentException("ingester id \"" + ingesterId
                    + "\" is invalid: must be ingester-zone-<zone>-<partition>, e.g. ingester-zone-a-0");
        }
        return new IngesterId(m.group(1), Integer.parseInt(m.group(2)));
    }

    @Override
    public String toString() {
        return "ingester-zone-" + zone + "-" + partitionId;
    }
}
