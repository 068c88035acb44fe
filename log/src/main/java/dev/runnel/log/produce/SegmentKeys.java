package dev.runnel.log.produce;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntSupplier;
import org.apache.kafka.common.utils.Time;

/**
 * Names new segment objects {@code segments/yyyy/MM/dd/<node>-<uuid>.seg}: unique without
 * coordination, and spread over date prefixes so that retention can list and delete by day.
 * The date is the UTC day of the writer's clock when the key was made.
 */
public final class SegmentKeys {
    /** Every segment object's key starts with this. */
    public static final String PREFIX = "segments/";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    private final Time time;
    private final IntSupplier nodeId;

    public SegmentKeys(Time time, IntSupplier nodeId) {
        this.time = time;
        this.nodeId = nodeId;
    }

    public String next() {
        return PREFIX + DAY.format(Instant.ofEpochMilli(time.milliseconds())) + "/" + nodeId.getAsInt() + "-"
                + UUID.randomUUID() + ".seg";
    }

    /** The prefix of the keys made on {@code day} (UTC): {@code segments/yyyy/MM/dd/}. */
    public static String dayPrefix(LocalDate day) {
        return PREFIX + DAY.format(day) + "/";
    }

    /** The UTC day a key was made on, or empty if {@code key} does not start with a day prefix. */
    public static Optional<LocalDate> day(String key) {
        if (!key.startsWith(PREFIX) || key.length() < PREFIX.length() + 11 || key.charAt(PREFIX.length() + 10) != '/') {
            return Optional.empty();
        }
        String date = key.substring(PREFIX.length(), PREFIX.length() + 10);
        if (date.charAt(4) != '/' || date.charAt(7) != '/') {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.of(Integer.parseInt(date.substring(0, 4)), Integer.parseInt(date.substring(5, 7)),
                    Integer.parseInt(date.substring(8, 10))));
        } catch (RuntimeException e) {
            return Optional.empty(); // not numbers, or not a date
        }
    }
}
