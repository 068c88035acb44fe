package dev.runnel.log.metadata;

import dev.runnel.log.kv.KvStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * A {@link MetadataStore} over JDBC. The statements are in {@link MetadataSql}; what differs
 * between databases is in the {@link SqlDialect}; connections and transactions are in
 * {@link JdbcSessions}; a commit's work is a {@link CommitTransaction}.
 *
 * <p>Nothing mutable is cached between calls: several stores (in several processes) may share
 * one database, and every call reads it.
 */
class JdbcMetadataStore implements MetadataStore {

    private final SqlDialect dialect;
    private final MetadataSql sql;
    private final Time time;
    private final Sequences sequences;
    private final JdbcSessions sessions;
    private final JdbcKvStore kv;

    JdbcMetadataStore(SqlDialect dialect, Time time, JdbcSessions.ConnectionFactory connections,
                      int readConnections, String description) {
        this.dialect = dialect;
        this.sql = new MetadataSql(dialect);
        this.time = time;
        this.sequences = new Sequences(sql);
        this.sessions = new JdbcSessions(dialect, connections, readConnections, description, s -> {
            MetadataSchema.create(s, dialect, sql, sequences, description);
            return null;
        });
        this.kv = new JdbcKvStore(sessions);
    }

    // ---- topics

    @Override
    public Topic createTopic(String name, int partitionCount, Map<String, String> configs) {
        Topic topic = new Topic(name, Uuid.randomUuid(), partitionCount, configs);
        try {
            return sessions.write("create topic " + name, s -> {
                PreparedStatement exists = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
                exists.setString(1, name);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        throw new TopicExistsException("Topic '" + name + "' already exists.");
                    }
                }
                PreparedStatement insert = s.prepare(MetadataSql.INSERT_TOPIC);
                insert.setString(1, name);
                insert.setString(2, topic.id().toString());
                insert.setInt(3, partitionCount);
                insert.setString(4, TopicConfigCodec.encode(topic.configs()));
                insert.executeUpdate();
                PreparedStatement partitions = s.prepare(MetadataSql.INSERT_PARTITION);
                for (int p = 0; p < partitionCount; p++) {
                    partitions.setString(1, topic.id().toString());
                    partitions.setInt(2, p);
                    partitions.addBatch();
                }
                Session.executeBatch(partitions);
                return topic;
            });
        } catch (MetadataStoreException e) {
            if (e.getCause() instanceof SQLException cause && dialect.isUniqueViolation(cause)) {
                throw new TopicExistsException("Topic '" + name + "' already exists.");
            }
            throw e;
        }
    }

    @Override
    public Optional<Topic> topic(String name) {
        return sessions.read("look up topic " + name, s -> {
            PreparedStatement query = s.prepare(MetadataSql.TOPIC_BY_NAME);
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(readTopic(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<Topic> topic(Uuid id) {
        return sessions.read("look up topic id " + id, s -> {
            PreparedStatement query = s.prepare(MetadataSql.TOPIC_BY_ID);
            query.setString(1, id.toString());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(readTopic(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Topic> topics() {
        return sessions.read("list topics", s -> {
            List<Topic> topics = new ArrayList<>();
            try (ResultSet rs = s.prepare(MetadataSql.ALL_TOPICS).executeQuery()) {
                while (rs.next()) {
                    topics.add(readTopic(rs));
                }
            }
            return topics;
        });
    }

    private static Topic readTopic(ResultSet rs) throws SQLException {
        return new Topic(rs.getString(1), Uuid.fromString(rs.getString(2)), rs.getInt(3),
                TopicConfigCodec.decode(rs.getString(4)));
    }

    @Override
    public boolean deleteTopic(String name) {
        return sessions.write("delete topic " + name, s -> {
            PreparedStatement find = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
            find.setString(1, name);
            String id;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getString(1);
            }
            // Waits for commits and retentions of the topic that are under way, and keeps new ones
            // out: otherwise their index entries could land after this deleted the topic's.
            PreparedStatement lockPartitions = s.prepare(sql.partitionsOfTopicForUpdate);
            lockPartitions.setString(1, id);
            lockPartitions.executeQuery().close();
            dialect.lock(s.connection, SqlDialect.TransactionLock.OBJECT_DEATHS);
            // Before the entries go: the objects only this topic references die with it.
            PreparedStatement dead = s.prepare(MetadataSql.INSERT_DEAD_OF_TOPIC);
            dead.setLong(1, time.milliseconds());
            dead.setString(2, id);
            dead.setString(3, id);
            dead.executeUpdate();
            for (String delete : List.of(MetadataSql.DELETE_INDEX_OF_TOPIC, MetadataSql.DELETE_PRODUCERS_OF_TOPIC,
                    MetadataSql.DELETE_PARTITIONS_OF_TOPIC, MetadataSql.DELETE_TOPIC)) {
                PreparedStatement statement = s.prepare(delete);
                statement.setString(1, id);
                statement.executeUpdate();
            }
            PreparedStatement groups = s.prepare(MetadataSql.DELETE_GROUP_OFFSETS_OF_TOPIC);
            groups.setString(1, name);
            groups.executeUpdate();
            return true;
        });
    }

    // ---- the produce path

    @Override
    public List<List<AppendResult>> commit(List<ObjectCommit> objects) {
        if (objects.stream().allMatch(o -> o.batches().isEmpty())) {
            return objects.stream().map(o -> List.<AppendResult>of()).toList();
        }
        String what = objects.size() == 1 ? "commit object " + objects.get(0).objectKey()
                : "commit " + objects.size() + " objects from " + objects.get(0).objectKey();
        return sessions.write(what, s -> new CommitTransaction(s, sql, objects, time.milliseconds()).run());
    }

    // ---- the fetch path

    @Override
    public Optional<PartitionOffsets> offsets(TopicPartition partition) {
        return sessions.read("read the offsets of " + partition, s -> {
            PreparedStatement query = s.prepare(MetadataSql.OFFSETS);
            query.setString(1, partition.topic());
            query.setInt(2, partition.partition());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new PartitionOffsets(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        });
    }

    @Override
    public List<IndexEntry> entries(TopicPartition partition, long fromOffset, int maxEntries) {
        if (maxEntries <= 0) {
            return List.of();
        }
        return sessions.read("read the index of " + partition + " from offset " + fromOffset, s -> {
            PreparedStatement query = s.prepare(MetadataSql.ENTRIES);
            query.setString(1, partition.topic());
            query.setInt(2, partition.partition());
            query.setLong(3, fromOffset);
            query.setInt(4, maxEntries);
            List<IndexEntry> entries = new ArrayList<>(Math.min(maxEntries, 64));
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    entries.add(readEntry(partition, rs));
                }
            }
            return entries;
        });
    }

    @Override
    public Optional<IndexEntry> entryForTimestamp(TopicPartition partition, long timestamp) {
        return sessions.read("find the entry of " + partition + " for timestamp " + timestamp, s -> {
            PreparedStatement query = s.prepare(MetadataSql.ENTRY_FOR_TIMESTAMP);
            query.setString(1, partition.topic());
            query.setInt(2, partition.partition());
            query.setLong(3, timestamp);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(readEntry(partition, rs)) : Optional.empty();
            }
        });
    }

    private static IndexEntry readEntry(TopicPartition partition, ResultSet rs) throws SQLException {
        return new IndexEntry(partition, rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getInt(4), rs.getInt(5),
                rs.getLong(6));
    }

    // ---- retention and object garbage collection

    @Override
    public RetentionResult applyRetention(TopicPartition partition, long deleteBeforeTimestamp, long retentionBytes,
                                          int maxEntries) {
        if (maxEntries <= 0) {
            return offsets(partition).map(o -> RetentionResult.nothing(o.logStartOffset()))
                    .orElse(RetentionResult.UNKNOWN_PARTITION);
        }
        // Most calls find nothing to delete: find that out on a reader, without the write lock.
        Optional<RetentionResult> nothing = sessions.read("check the retention of " + partition,
                s -> nothingToDelete(s, partition, deleteBeforeTimestamp, retentionBytes));
        if (nothing.isPresent()) {
            return nothing.get();
        }
        return sessions.write("apply retention to " + partition, s -> new RetentionTransaction(s, dialect, sql, partition,
                deleteBeforeTimestamp, retentionBytes, maxEntries, time.milliseconds()).run());
    }

    /** The result of a retention that would delete nothing, or empty if it may delete something. */
    private static Optional<RetentionResult> nothingToDelete(Session s, TopicPartition partition,
                                                             long deleteBeforeTimestamp, long retentionBytes)
            throws SQLException {
        PreparedStatement offsets = s.prepare(MetadataSql.OFFSETS);
        offsets.setString(1, partition.topic());
        offsets.setInt(2, partition.partition());
        long logStartOffset;
        try (ResultSet rs = offsets.executeQuery()) {
            if (!rs.next()) {
                return Optional.of(RetentionResult.UNKNOWN_PARTITION);
            }
            logStartOffset = rs.getLong(1);
        }
        PreparedStatement head = s.prepare(MetadataSql.ENTRIES);
        head.setString(1, partition.topic());
        head.setInt(2, partition.partition());
        head.setLong(3, Long.MIN_VALUE);
        head.setInt(4, 1);
        IndexEntry first;
        try (ResultSet rs = head.executeQuery()) {
            if (!rs.next()) {
                return Optional.of(RetentionResult.nothing(logStartOffset));
            }
            first = readEntry(partition, rs);
        }
        if (first.maxTimestamp() < deleteBeforeTimestamp) {
            return Optional.empty();
        }
        if (retentionBytes >= 0) {
            PreparedStatement bytes = s.prepare(MetadataSql.PARTITION_BYTES_BY_NAME);
            bytes.setString(1, partition.topic());
            bytes.setInt(2, partition.partition());
            try (ResultSet rs = bytes.executeQuery()) {
                rs.next();
                if (rs.getLong(1) - first.size() >= retentionBytes) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(RetentionResult.nothing(logStartOffset));
    }

    @Override
    public List<String> deadObjects(long deadBefore, int maxObjects) {
        if (maxObjects <= 0) {
            return List.of();
        }
        return sessions.read("list dead objects", s -> {
            PreparedStatement query = s.prepare(MetadataSql.DEAD_OBJECTS);
            query.setLong(1, deadBefore);
            query.setInt(2, maxObjects);
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return keys;
        });
    }

    @Override
    public void forgetDeadObjects(Collection<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return;
        }
        sessions.write("forget " + objectKeys.size() + " dead objects", s -> {
            PreparedStatement delete = s.prepare(MetadataSql.DELETE_DEAD_OBJECT);
            for (String key : objectKeys) {
                delete.setString(1, key);
                delete.addBatch();
            }
            Session.executeBatch(delete);
            return null;
        });
    }

    @Override
    public Set<String> untrackedObjects(Collection<String> objectKeys) {
        if (objectKeys.isEmpty()) {
            return Set.of();
        }
        return sessions.read("look up " + objectKeys.size() + " objects", s -> {
            PreparedStatement query = s.prepare(MetadataSql.OBJECT_TRACKED);
            Set<String> untracked = new LinkedHashSet<>();
            for (String key : objectKeys) {
                query.setString(1, key);
                query.setString(2, key);
                try (ResultSet rs = query.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == 0) {
                        untracked.add(key);
                    }
                }
            }
            return untracked;
        });
    }

    // ---- idempotent producers

    @Override
    public long allocateProducerId() {
        return sessions.write("allocate a producer id", s -> {
            long id = sequences.value(s, MetadataSql.PRODUCER_ID_SEQUENCE);
            sequences.set(s, MetadataSql.PRODUCER_ID_SEQUENCE, id + 1);
            return id;
        });
    }

    // ---- consumer groups

    @Override
    public void commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        sessions.write("commit offsets of group " + groupId, s -> {
            PreparedStatement upsert = s.prepare(sql.upsertGroupOffset);
            for (Map.Entry<TopicPartition, CommittedOffset> e : offsets.entrySet()) {
                CommittedOffset offset = e.getValue();
                upsert.setString(1, groupId);
                upsert.setString(2, e.getKey().topic());
                upsert.setInt(3, e.getKey().partition());
                upsert.setLong(4, offset.offset());
                upsert.setInt(5, offset.leaderEpoch());
                upsert.setString(6, offset.metadata());
                upsert.setLong(7, offset.commitTimestamp());
                upsert.addBatch();
            }
            Session.executeBatch(upsert);
            return null;
        });
    }

    @Override
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
        return sessions.read("read the offsets of group " + groupId, s -> {
            PreparedStatement query = s.prepare(MetadataSql.GROUP_OFFSETS);
            query.setString(1, groupId);
            Map<TopicPartition, CommittedOffset> offsets = new HashMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    offsets.put(new TopicPartition(rs.getString(1), rs.getInt(2)),
                            new CommittedOffset(rs.getLong(3), rs.getInt(4), rs.getString(5), rs.getLong(6)));
                }
            }
            return offsets;
        });
    }

    @Override
    public List<String> groupIds() {
        return sessions.read("list groups", s -> {
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = s.prepare(MetadataSql.GROUP_IDS).executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    // ---- agents

    @Override
    public int registerAgent(int nodeId, String host, int port, String zone) {
        return sessions.write("register agent " + (nodeId < 0 ? "" : nodeId + " ") + "at " + host + ":" + port, s -> {
            int id = nodeId;
            if (id < 0) {
                long next = sequences.value(s, MetadataSql.NODE_ID_SEQUENCE);
                while (agentExists(s, next)) {
                    next++;
                }
                if (next > Integer.MAX_VALUE) {
                    throw new SQLException("Node ids are exhausted");
                }
                id = (int) next;
                sequences.set(s, MetadataSql.NODE_ID_SEQUENCE, next + 1);
            } else {
                // Never hand out an id that was taken explicitly.
                sequences.raise(s, MetadataSql.NODE_ID_SEQUENCE, (long) id + 1);
            }
            PreparedStatement upsert = s.prepare(sql.upsertAgent);
            upsert.setInt(1, id);
            upsert.setString(2, host);
            upsert.setInt(3, port);
            upsert.setString(4, zone);
            upsert.setLong(5, time.milliseconds());
            upsert.executeUpdate();
            return id;
        });
    }

    private static boolean agentExists(Session s, long nodeId) throws SQLException {
        PreparedStatement query = s.prepare(MetadataSql.AGENT_EXISTS);
        query.setLong(1, nodeId);
        try (ResultSet rs = query.executeQuery()) {
            return rs.next();
        }
    }

    @Override
    public List<AgentInfo> liveAgents(long maxAgeMillis) {
        long since = time.milliseconds() - maxAgeMillis;
        return sessions.read("list live agents", s -> {
            PreparedStatement query = s.prepare(MetadataSql.LIVE_AGENTS);
            query.setLong(1, since);
            List<AgentInfo> agents = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    agents.add(new AgentInfo(rs.getInt(1), rs.getString(2), rs.getInt(3), rs.getString(4)));
                }
            }
            return agents;
        });
    }

    @Override
    public void deregisterAgent(int nodeId) {
        sessions.write("deregister agent " + nodeId, s -> {
            PreparedStatement delete = s.prepare(MetadataSql.DELETE_AGENT);
            delete.setInt(1, nodeId);
            delete.executeUpdate();
            return null;
        });
    }

    @Override
    public KvStore kv() {
        return kv;
    }

    @Override
    public void close() {
        sessions.close();
    }
}
