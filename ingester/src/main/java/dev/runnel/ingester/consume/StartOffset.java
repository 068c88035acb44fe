package dev.runnel.ingester.consume;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Time;

/**
 * Where a partition consumer starts. With a resume offset (the offset after the last record a
 * head snapshot holds) it starts there. Without one, the head is empty and records older than its
 * retention would be dropped as too old anyway, so it starts at the first record whose timestamp
 * is at or after {@code now - retention} (ListOffsets by timestamp), or at the end of the partition
 * when no record is that recent.
 */
public final class StartOffset {

    private StartOffset() {
    }

    /** The offset to seek to; asks the log unless {@code resume} is given. */
    public static long resolve(Consumer<?, ?> consumer, TopicPartition partition, OptionalLong resume, Duration retention,
                               Time time, Duration timeout) {
        if (resume.isPresent()) {
            if (resume.getAsLong() < 0) {
                throw new IllegalArgumentException("resume offset must not be negative: " + resume.getAsLong());
            }
            return resume.getAsLong();
        }
        long since = Math.max(0, time.milliseconds() - retention.toMillis());
        OffsetAndTimestamp first = consumer.offsetsForTimes(Map.of(partition, since), timeout).get(partition);
        if (first != null) {
            return first.offset();
        }
        return consumer.endOffsets(List.of(partition), timeout).get(partition);
    }
}
