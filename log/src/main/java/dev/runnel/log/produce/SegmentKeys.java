package dev.runnel.log.produce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.common.utils.Time;

/**
 * Names new segment objects {@code segments/yyyy/MM/dd/<node>-<uuid>.seg}: unique without
 * coordination, and spread over date prefixes so that retention can list and delete by day.
 */
public final class SegmentKeys {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final Time time;
    private final IntSupplier nodeId;

    public SegmentKeys(Time time, IntSupplier nodeId) {
        this.time = time;
        this.nodeId = nodeId;
    }

    public String next() {
        return "segments/" + DAY.format(Instant.ofEpochMilli(time.milliseconds())) + "/" + nodeId.getAsInt() + "-"
                + UUID.randomUUID() + ".seg";
    }
}
