package dev.runnel.log.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * One {@link MetadataStore#applyRetention}, inside its write transaction: locks the partition,
 * finds the deletable prefix of its index, deletes it, records the objects that lost their last
 * reference as dead, and moves the log start offset.
 */
final class RetentionTransaction {

    /** Index rows read per query while looking for the end of the deletable prefix. */
    private static final int PAGE = 1_000;

    private final Session s;
    private final SqlDialect dialect;
    private final MetadataSql sql;
    private final TopicPartition partition;
    private final long deleteBeforeTimestamp;
    private final long retentionBytes;
    private final int maxEntries;
    private final long now;

    RetentionTransaction(Session s, SqlDialect dialect, MetadataSql sql, TopicPartition partition, long deleteBeforeTimestamp,
                         long retentionBytes, int maxEntries, long now) {
        this.s = s;
        this.dialect = dialect;
        this.sql = sql;
        this.partition = partition;
        this.deleteBeforeTimestamp = deleteBeforeTimestamp;
        this.retentionBytes = retentionBytes;
        this.maxEntries = maxEntries;
        this.now = now;
    }

    RetentionResult run() throws SQLException {
        String topicId;
        PreparedStatement topicQuery = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
        topicQuery.setString(1, partition.topic());
        try (ResultSet rs = topicQuery.executeQuery()) {
            if (!rs.next()) {
                return RetentionResult.UNKNOWN_PARTITION;
            }
            topicId = rs.getString(1);
        }
        long logStartOffset;
        long highWatermark;
        // Locks the partition's row (in PostgreSQL; SQLite's write lock already serializes), so a
        // concurrent commit or retention of this partition waits for this one.
        PreparedStatement partitionQuery = s.prepare(sql.partitionForUpdate);
        partitionQuery.setString(1, topicId);
        partitionQuery.setInt(2, partition.partition());
        try (ResultSet rs = partitionQuery.executeQuery()) {
            if (!rs.next()) {
                return RetentionResult.UNKNOWN_PARTITION;
            }
            logStartOffset = rs.getLong(2);
            highWatermark = rs.getLong(3);
        }

        long remainingBytes = retentionBytes < 0 ? 0 : partitionBytes(topicId);
        int deleted = 0;
        long deletedBytes = 0;
        long lastDeletedOffset = -1;
        Set<String> objects = new LinkedHashSet<>();
        boolean stopped = false;
        PreparedStatement page = s.prepare(MetadataSql.OLDEST_ENTRIES);
        while (!stopped && deleted < maxEntries) {
            page.setString(1, topicId);
            page.setInt(2, partition.partition());
            page.setLong(3, lastDeletedOffset);
            page.setInt(4, Math.min(PAGE, maxEntries - deleted));
            int rows = 0;
            try (ResultSet rs = page.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    int size = rs.getInt(3);
                    boolean expired = rs.getLong(4) < deleteBeforeTimestamp;
                    boolean oversized = retentionBytes >= 0 && remainingBytes - size >= retentionBytes;
                    if (!expired && !oversized) {
                        stopped = true;
                        break;
                    }
                    lastDeletedOffset = rs.getLong(1);
                    objects.add(rs.getString(2));
                    remainingBytes -= size;
                    deletedBytes += size;
                    deleted++;
                }
            }
            if (rows == 0) {
                stopped = true;
            }
        }
        if (deleted == 0) {
            return RetentionResult.nothing(logStartOffset);
        }

        PreparedStatement delete = s.prepare(MetadataSql.DELETE_INDEX_PREFIX);
        delete.setString(1, topicId);
        delete.setInt(2, partition.partition());
        delete.setLong(3, lastDeletedOffset);
        delete.executeUpdate();

        // Retention of another partition may be deleting the other references to these objects; the
        // later of the two, holding this lock, sees what the earlier deleted.
        dialect.lock(s.connection, SqlDialect.TransactionLock.OBJECT_DEATHS);
        int dead = 0;
        PreparedStatement markDead = s.prepare(MetadataSql.INSERT_DEAD_IF_UNREFERENCED);
        for (String objectKey : objects) {
            markDead.setString(1, objectKey);
            markDead.setLong(2, now);
            markDead.setString(3, objectKey);
            dead += markDead.executeUpdate();
        }

        long newLogStart = highWatermark;
        PreparedStatement first = s.prepare(MetadataSql.FIRST_ENTRY_BASE);
        first.setString(1, topicId);
        first.setInt(2, partition.partition());
        try (ResultSet rs = first.executeQuery()) {
            if (rs.next()) {
                newLogStart = rs.getLong(1);
            }
        }
        newLogStart = Math.min(Math.max(newLogStart, logStartOffset), highWatermark);
        if (newLogStart != logStartOffset) {
            PreparedStatement update = s.prepare(MetadataSql.UPDATE_LOG_START_OFFSET);
            update.setLong(1, newLogStart);
            update.setString(2, topicId);
            update.setInt(3, partition.partition());
            update.executeUpdate();
        }
        return new RetentionResult(deleted, deletedBytes, dead, newLogStart, !stopped);
    }

    private long partitionBytes(String topicId) throws SQLException {
        PreparedStatement query = s.prepare(MetadataSql.PARTITION_BYTES);
        query.setString(1, topicId);
        query.setInt(2, partition.partition());
        try (ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
