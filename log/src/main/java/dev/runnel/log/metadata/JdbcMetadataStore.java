package dev.runnel.log.metadata;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link MetadataStore} over JDBC. The statements are in {@link MetadataSql}; what differs
 * between databases is in the {@link SqlDialect}.
 *
 * <p>Nothing mutable is cached between calls: several stores (in several processes) may share
 * one database, and every call reads it. Writes go through one connection under a lock, each in
 * its own transaction; reads use a small pool of other connections so they do not wait behind a
 * commit's fsync.
 */
class JdbcMetadataStore implements MetadataStore {

    private static final Logger log = LoggerFactory.getLogger(JdbcMetadataStore.class);

    /** Producer batches remembered per partition and producer for duplicate detection, as Kafka does. */
    static final int RECENT_PRODUCER_BATCHES = 5;

    /** Opens a new connection to the database, for the writes or for the reads. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open(boolean forWrites) throws SQLException;
    }

    private final SqlDialect dialect;
    private final MetadataSql sql;
    private final Time time;
    private final ConnectionFactory connections;
    private final String description;

    private final ReentrantLock writeLock = new ReentrantLock();
    private Session writer; // guarded by writeLock; null after a failed rollback until reopened
    private final BlockingQueue<Session> readers;
    private final List<Session> allReaders = new ArrayList<>();
    private volatile boolean closed;

    JdbcMetadataStore(SqlDialect dialect, Time time, ConnectionFactory connections, int readConnections,
                      String description) {
        this.dialect = dialect;
        this.sql = new MetadataSql(dialect);
        this.time = time;
        this.connections = connections;
        this.description = description;
        this.readers = new ArrayBlockingQueue<>(readConnections);
        try {
            writer = new Session(connections.open(true));
            createSchema();
            for (int i = 0; i < readConnections; i++) {
                Session reader = new Session(connections.open(false));
                allReaders.add(reader);
                readers.add(reader);
            }
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MetadataStoreException("Failed to open the metadata store " + description, e);
        }
    }

    private void createSchema() throws SQLException {
        write("create the schema of " + description, s -> {
            for (String ddl : sql.schema) {
                try (PreparedStatement statement = s.connection.prepareStatement(ddl)) {
                    statement.execute();
                }
            }
            int version;
            try (ResultSet rs = s.prepare(MetadataSql.SCHEMA_VERSION_SELECT).executeQuery()) {
                rs.next();
                version = rs.getInt(1);
            }
            if (version == 0) {
                PreparedStatement insert = s.prepare(MetadataSql.SCHEMA_VERSION_INSERT);
                insert.setInt(1, MetadataSql.SCHEMA_VERSION);
                insert.executeUpdate();
                initSequence(s, MetadataSql.PRODUCER_ID_SEQUENCE, 0L);
                initSequence(s, MetadataSql.NODE_ID_SEQUENCE, 1L);
            } else if (version > MetadataSql.SCHEMA_VERSION) {
                throw new MetadataStoreException("The metadata store " + description + " has schema version "
                        + version + ", newer than the " + MetadataSql.SCHEMA_VERSION + " this build knows", null);
            }
            return null;
        });
    }

    private static void initSequence(Session s, String name, long first) throws SQLException {
        PreparedStatement init = s.prepare(MetadataSql.SEQUENCE_INIT);
        init.setString(1, name);
        init.setLong(2, first);
        init.setString(3, name);
        init.executeUpdate();
    }

    // ---- topics

    @Override
    public Topic createTopic(String name, int partitionCount, Map<String, String> configs) {
        Topic topic = new Topic(name, Uuid.randomUuid(), partitionCount, configs);
        try {
            return write("create topic " + name, s -> {
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
                insert.setString(4, encodeConfigs(topic.configs()));
                insert.executeUpdate();
                PreparedStatement partitions = s.prepare(MetadataSql.INSERT_PARTITION);
                for (int p = 0; p < partitionCount; p++) {
                    partitions.setString(1, topic.id().toString());
                    partitions.setInt(2, p);
                    partitions.addBatch();
                }
                executeBatch(partitions);
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
        return read("look up topic " + name, s -> {
            PreparedStatement query = s.prepare(MetadataSql.TOPIC_BY_NAME);
            query.setString(1, name);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(readTopic(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public Optional<Topic> topic(Uuid id) {
        return read("look up topic id " + id, s -> {
            PreparedStatement query = s.prepare(MetadataSql.TOPIC_BY_ID);
            query.setString(1, id.toString());
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(readTopic(rs)) : Optional.empty();
            }
        });
    }

    @Override
    public List<Topic> topics() {
        return read("list topics", s -> {
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
                decodeConfigs(rs.getString(4)));
    }

    @Override
    public boolean deleteTopic(String name) {
        return write("delete topic " + name, s -> {
            PreparedStatement find = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
            find.setString(1, name);
            String id;
            try (ResultSet rs = find.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                id = rs.getString(1);
            }
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
    public List<AppendResult> commit(String objectKey, List<BatchAppend> batches) {
        Objects.requireNonNull(objectKey, "objectKey");
        if (batches.isEmpty()) {
            return List.of();
        }
        return write("commit object " + objectKey + " (" + batches.size() + " batches)",
                s -> new Commit(s, objectKey, batches).run());
    }

    /** One commit's work, inside its transaction. */
    private final class Commit {
        private final Session s;
        private final String objectKey;
        private final List<BatchAppend> batches;
        private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
        private final Map<ProducerKey, ProducerState> producers = new LinkedHashMap<>();
        private final List<Run> entries = new ArrayList<>();
        private final long now = time.milliseconds();

        Commit(Session s, String objectKey, List<BatchAppend> batches) {
            this.s = s;
            this.objectKey = objectKey;
            this.batches = batches;
        }

        List<AppendResult> run() throws SQLException {
            loadPartitions();
            loadProducers();
            AppendResult[] results = new AppendResult[batches.size()];
            for (int i = 0; i < results.length; i++) {
                results[i] = append(batches.get(i));
            }
            for (PartitionState p : partitions.values()) {
                p.closeRun(entries);
            }
            store();
            return Arrays.asList(results);
        }

        private AppendResult append(BatchAppend batch) throws SQLException {
            PartitionState p = partitions.get(batch.partition());
            if (p == null) {
                return AppendResult.rejected(Errors.UNKNOWN_TOPIC_OR_PARTITION);
            }
            ProducerBatch producer = batch.producer();
            ProducerState state = null;
            if (producer.isIdempotent()) {
                ProducerKey key = new ProducerKey(p.topicId, p.partition, producer.producerId());
                state = producers.get(key);
                if (state == null) {
                    state = new ProducerState(producer.producerEpoch());
                    producers.put(key, state);
                } else if (producer.producerEpoch() < state.epoch) {
                    p.closeRun(entries);
                    return AppendResult.rejected(Errors.INVALID_PRODUCER_EPOCH);
                } else if (producer.producerEpoch() > state.epoch) {
                    if (producer.baseSequence() != 0) {
                        p.closeRun(entries);
                        return AppendResult.rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
                    }
                    state.reset(producer.producerEpoch());
                } else {
                    SequencedBatch duplicate = state.find(producer.baseSequence(), producer.lastSequence());
                    if (duplicate != null) {
                        p.closeRun(entries);
                        return new AppendResult(Errors.NONE, duplicate.baseOffset, p.logStartOffset);
                    }
                    if (!state.batches.isEmpty() && !inSequence(state.batches.peekLast().lastSequence,
                            producer.baseSequence())) {
                        p.closeRun(entries);
                        return AppendResult.rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
                    }
                }
            }
            long baseOffset = p.nextOffset;
            p.nextOffset += batch.offsetCount();
            if (state != null) {
                state.add(new SequencedBatch(producer.baseSequence(), producer.lastSequence(), baseOffset));
            }
            p.extendRun(entries, batch, baseOffset);
            return new AppendResult(Errors.NONE, baseOffset, p.logStartOffset);
        }

        /** Reads the partitions the batches name, one query per topic (or per partition if they are few and far apart). */
        private void loadPartitions() throws SQLException {
            Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
            for (BatchAppend batch : batches) {
                byTopic.computeIfAbsent(batch.partition().topic(), t -> new ArrayList<>())
                        .add(batch.partition().partition());
            }
            PreparedStatement topicQuery = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
            for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
                String topicId;
                int partitionCount;
                topicQuery.setString(1, topic.getKey());
                try (ResultSet rs = topicQuery.executeQuery()) {
                    if (!rs.next()) {
                        continue;
                    }
                    topicId = rs.getString(1);
                    partitionCount = rs.getInt(2);
                }
                int[] wanted = topic.getValue().stream().mapToInt(Integer::intValue)
                        .filter(p -> p >= 0 && p < partitionCount).distinct().sorted().toArray();
                if (wanted.length == 0) {
                    continue;
                }
                if (dense(wanted)) {
                    PreparedStatement range = s.prepare(sql.partitionRangeForUpdate);
                    range.setString(1, topicId);
                    range.setInt(2, wanted[0]);
                    range.setInt(3, wanted[wanted.length - 1]);
                    try (ResultSet rs = range.executeQuery()) {
                        while (rs.next()) {
                            int partition = rs.getInt(1);
                            if (Arrays.binarySearch(wanted, partition) >= 0) {
                                addPartition(topic.getKey(), topicId, rs);
                            }
                        }
                    }
                } else {
                    PreparedStatement one = s.prepare(sql.partitionForUpdate);
                    for (int partition : wanted) {
                        one.setString(1, topicId);
                        one.setInt(2, partition);
                        try (ResultSet rs = one.executeQuery()) {
                            if (rs.next()) {
                                addPartition(topic.getKey(), topicId, rs);
                            }
                        }
                    }
                }
            }
        }

        private void addPartition(String topicName, String topicId, ResultSet rs) throws SQLException {
            int partition = rs.getInt(1);
            partitions.put(new TopicPartition(topicName, partition),
                    new PartitionState(topicId, partition, rs.getLong(2), rs.getLong(3)));
        }

        /** Reads the state of the idempotent producers of the batches, one query per topic and producer if it can. */
        private void loadProducers() throws SQLException {
            Map<ProducerKey, List<Integer>> wantedByProducer = new LinkedHashMap<>();
            for (BatchAppend batch : batches) {
                PartitionState p = partitions.get(batch.partition());
                if (p != null && batch.producer().isIdempotent()) {
                    wantedByProducer.computeIfAbsent(new ProducerKey(p.topicId, -1, batch.producer().producerId()),
                            k -> new ArrayList<>()).add(p.partition);
                }
            }
            for (Map.Entry<ProducerKey, List<Integer>> e : wantedByProducer.entrySet()) {
                String topicId = e.getKey().topicId;
                long producerId = e.getKey().producerId;
                int[] wanted = sortedDistinct(e.getValue());
                if (dense(wanted)) {
                    PreparedStatement range = s.prepare(sql.producerStateRangeForUpdate);
                    range.setString(1, topicId);
                    range.setLong(2, producerId);
                    range.setInt(3, wanted[0]);
                    range.setInt(4, wanted[wanted.length - 1]);
                    readProducers(range, topicId, producerId, wanted);
                } else {
                    PreparedStatement one = s.prepare(sql.producerStateForUpdate);
                    for (int partition : wanted) {
                        one.setString(1, topicId);
                        one.setLong(2, producerId);
                        one.setInt(3, partition);
                        readProducers(one, topicId, producerId, wanted);
                    }
                }
            }
        }

        private void readProducers(PreparedStatement query, String topicId, long producerId, int[] wanted)
                throws SQLException {
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    int partition = rs.getInt(1);
                    if (Arrays.binarySearch(wanted, partition) >= 0) {
                        producers.put(new ProducerKey(topicId, partition, producerId),
                                ProducerState.decode(rs.getShort(2), rs.getString(3)));
                    }
                }
            }
        }

        private void store() throws SQLException {
            PreparedStatement offsets = s.prepare(MetadataSql.UPDATE_NEXT_OFFSET);
            boolean any = false;
            for (PartitionState p : partitions.values()) {
                if (p.nextOffset != p.storedNextOffset) {
                    offsets.setLong(1, p.nextOffset);
                    offsets.setString(2, p.topicId);
                    offsets.setInt(3, p.partition);
                    offsets.addBatch();
                    any = true;
                }
            }
            if (any) {
                executeBatch(offsets);
            }
            if (producers.values().stream().anyMatch(state -> state.changed)) {
                PreparedStatement upsert = s.prepare(sql.upsertProducerState);
                for (Map.Entry<ProducerKey, ProducerState> e : producers.entrySet()) {
                    ProducerState state = e.getValue();
                    if (state.changed) {
                        upsert.setString(1, e.getKey().topicId);
                        upsert.setLong(2, e.getKey().producerId);
                        upsert.setInt(3, e.getKey().partition);
                        upsert.setShort(4, state.epoch);
                        upsert.setString(5, state.encode());
                        upsert.setLong(6, now);
                        upsert.addBatch();
                    }
                }
                executeBatch(upsert);
            }
            if (!entries.isEmpty()) {
                PreparedStatement insert = s.prepare(MetadataSql.INSERT_INDEX_ENTRY);
                for (Run run : entries) {
                    insert.setString(1, run.topicId);
                    insert.setInt(2, run.partition);
                    insert.setLong(3, run.baseOffset);
                    insert.setLong(4, run.lastOffset);
                    insert.setString(5, objectKey);
                    insert.setInt(6, run.position);
                    insert.setInt(7, run.size);
                    insert.setLong(8, run.maxTimestamp);
                    insert.addBatch();
                }
                executeBatch(insert);
            }
        }
    }

    private static int[] sortedDistinct(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
    }

    /**
     * Whether the sorted partitions are close enough together to read with one range query rather
     * than one query each (reading a few rows too many is cheaper than many queries).
     */
    private static boolean dense(int[] sorted) {
        long span = (long) sorted[sorted.length - 1] - sorted[0] + 1;
        return span <= 4L * sorted.length + 16;
    }

    /** Whether {@code next} follows {@code last}; after {@link Integer#MAX_VALUE} comes 0. */
    static boolean inSequence(int last, int next) {
        return (long) next == (long) last + 1 || (last == Integer.MAX_VALUE && next == 0);
    }

    private record ProducerKey(String topicId, int partition, long producerId) {
    }

    private record SequencedBatch(int baseSequence, int lastSequence, long baseOffset) {
    }

    /** A producer's epoch and its last few batches in one partition, oldest first. */
    private static final class ProducerState {
        short epoch;
        final ArrayDeque<SequencedBatch> batches = new ArrayDeque<>(RECENT_PRODUCER_BATCHES + 1);
        boolean changed;

        ProducerState(short epoch) {
            this.epoch = epoch;
        }

        void reset(short newEpoch) {
            epoch = newEpoch;
            batches.clear();
            changed = true;
        }

        SequencedBatch find(int baseSequence, int lastSequence) {
            for (SequencedBatch b : batches) {
                if (b.baseSequence == baseSequence && b.lastSequence == lastSequence) {
                    return b;
                }
            }
            return null;
        }

        void add(SequencedBatch batch) {
            batches.addLast(batch);
            while (batches.size() > RECENT_PRODUCER_BATCHES) {
                batches.removeFirst();
            }
            changed = true;
        }

        /** {@code base:last:offset} per batch, oldest first, separated by {@code ;}. */
        String encode() {
            StringBuilder out = new StringBuilder();
            for (SequencedBatch b : batches) {
                if (out.length() > 0) {
                    out.append(';');
                }
                out.append(b.baseSequence).append(':').append(b.lastSequence).append(':').append(b.baseOffset);
            }
            return out.toString();
        }

        static ProducerState decode(short epoch, String encoded) {
            ProducerState state = new ProducerState(epoch);
            int[] at = {0};
            while (at[0] < encoded.length()) {
                int baseSequence = (int) parseLong(encoded, at, ':');
                int lastSequence = (int) parseLong(encoded, at, ':');
                long baseOffset = parseLong(encoded, at, ';');
                state.batches.addLast(new SequencedBatch(baseSequence, lastSequence, baseOffset));
            }
            return state;
        }

        /** Parses a decimal number at {@code at[0]} up to {@code end} or the end of the text, and moves past both. */
        private static long parseLong(String text, int[] at, char end) {
            int i = at[0];
            boolean negative = i < text.length() && text.charAt(i) == '-';
            if (negative) {
                i++;
            }
            long value = 0;
            int start = i;
            for (; i < text.length() && text.charAt(i) != end; i++) {
                char c = text.charAt(i);
                if (c < '0' || c > '9') {
                    throw new IllegalStateException("Malformed producer state: " + text);
                }
                value = value * 10 + (c - '0');
            }
            if (i == start) {
                throw new IllegalStateException("Malformed producer state: " + text);
            }
            at[0] = i + 1;
            return negative ? -value : value;
        }
    }

    /** A partition's offsets as this commit changes them, and the index entry it is building. */
    private static final class PartitionState {
        final String topicId;
        final int partition;
        final long logStartOffset;
        final long storedNextOffset;
        long nextOffset;
        Run run;

        PartitionState(String topicId, int partition, long logStartOffset, long nextOffset) {
            this.topicId = topicId;
            this.partition = partition;
            this.logStartOffset = logStartOffset;
            this.storedNextOffset = nextOffset;
            this.nextOffset = nextOffset;
        }

        void extendRun(List<Run> done, BatchAppend batch, long baseOffset) {
            long lastOffset = baseOffset + batch.offsetCount() - 1;
            if (run != null && (long) run.position + run.size == batch.position()) {
                run.lastOffset = lastOffset;
                run.size += batch.size();
                run.maxTimestamp = Math.max(run.maxTimestamp, batch.maxTimestamp());
            } else {
                closeRun(done);
                run = new Run(topicId, partition, baseOffset, lastOffset, batch.position(), batch.size(),
                        batch.maxTimestamp());
            }
        }

        void closeRun(List<Run> done) {
            if (run != null) {
                done.add(run);
                run = null;
            }
        }
    }

    /** Adjacent accepted batches of one partition, becoming one index entry. */
    private static final class Run {
        final String topicId;
        final int partition;
        final long baseOffset;
        long lastOffset;
        final int position;
        int size;
        long maxTimestamp;

        Run(String topicId, int partition, long baseOffset, long lastOffset, int position, int size,
            long maxTimestamp) {
            this.topicId = topicId;
            this.partition = partition;
            this.baseOffset = baseOffset;
            this.lastOffset = lastOffset;
            this.position = position;
            this.size = size;
            this.maxTimestamp = maxTimestamp;
        }
    }

    // ---- the fetch path

    @Override
    public Optional<PartitionOffsets> offsets(TopicPartition partition) {
        return read("read the offsets of " + partition, s -> {
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
        return read("read the index of " + partition + " from offset " + fromOffset, s -> {
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
        return read("find the entry of " + partition + " for timestamp " + timestamp, s -> {
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

    // ---- idempotent producers

    @Override
    public long allocateProducerId() {
        return write("allocate a producer id", s -> {
            long id = sequenceValue(s, MetadataSql.PRODUCER_ID_SEQUENCE);
            setSequence(s, MetadataSql.PRODUCER_ID_SEQUENCE, id + 1);
            return id;
        });
    }

    private long sequenceValue(Session s, String name) throws SQLException {
        PreparedStatement query = s.prepare(sql.sequenceForUpdate);
        query.setString(1, name);
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("Sequence " + name + " is missing");
            }
            return rs.getLong(1);
        }
    }

    private static void setSequence(Session s, String name, long next) throws SQLException {
        PreparedStatement update = s.prepare(MetadataSql.SEQUENCE_SET);
        update.setLong(1, next);
        update.setString(2, name);
        update.executeUpdate();
    }

    // ---- consumer groups

    @Override
    public void commitOffsets(String groupId, Map<TopicPartition, CommittedOffset> offsets) {
        if (offsets.isEmpty()) {
            return;
        }
        write("commit offsets of group " + groupId, s -> {
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
            executeBatch(upsert);
            return null;
        });
    }

    @Override
    public Map<TopicPartition, CommittedOffset> committedOffsets(String groupId) {
        return read("read the offsets of group " + groupId, s -> {
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
        return read("list groups", s -> {
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
        return write("register agent " + (nodeId < 0 ? "" : nodeId + " ") + "at " + host + ":" + port, s -> {
            int id = nodeId;
            if (id < 0) {
                long next = sequenceValue(s, MetadataSql.NODE_ID_SEQUENCE);
                while (agentExists(s, next)) {
                    next++;
                }
                if (next > Integer.MAX_VALUE) {
                    throw new SQLException("Node ids are exhausted");
                }
                id = (int) next;
                setSequence(s, MetadataSql.NODE_ID_SEQUENCE, next + 1);
            } else {
                // Never hand out an id that was taken explicitly.
                PreparedStatement raise = s.prepare(MetadataSql.SEQUENCE_RAISE);
                raise.setLong(1, (long) id + 1);
                raise.setString(2, MetadataSql.NODE_ID_SEQUENCE);
                raise.setLong(3, (long) id + 1);
                raise.executeUpdate();
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
        return read("list live agents", s -> {
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
        write("deregister agent " + nodeId, s -> {
            PreparedStatement delete = s.prepare(MetadataSql.DELETE_AGENT);
            delete.setInt(1, nodeId);
            delete.executeUpdate();
            return null;
        });
    }

    // ---- transactions and connections

    @FunctionalInterface
    private interface Work<T> {
        T run(Session session) throws SQLException;
    }

    /** Runs {@code work} in one write transaction; on any failure it is rolled back and nothing of it remains. */
    private <T> T write(String what, Work<T> work) {
        writeLock.lock();
        try {
            checkOpen();
            if (writer == null) {
                writer = new Session(connections.open(true));
            }
            Session s = writer;
            dialect.beginWrite(s.connection);
            try {
                T result = work.run(s);
                dialect.commit(s.connection);
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollback(s, what);
                throw e;
            }
        } catch (SQLException e) {
            throw new MetadataStoreException("Failed to " + what + " in " + description + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void rollback(Session s, String what) {
        try {
            dialect.rollback(s.connection);
        } catch (SQLException e) {
            // The database may have rolled back on its own; if not, this connection can no longer
            // be trusted to be outside a transaction, so it is replaced.
            log.warn("Rolling back after failing to {} in {} failed; reopening the write connection", what,
                    description, e);
            s.close();
            writer = null;
        }
    }

    private <T> T read(String what, Work<T> work) {
        checkOpen();
        Session s;
        try {
            s = readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataStoreException("Interrupted waiting to " + what, e);
        }
        try {
            checkOpen();
            return work.run(s);
        } catch (SQLException e) {
            throw new MetadataStoreException("Failed to " + what + " in " + description + ": " + e.getMessage(), e);
        } finally {
            readers.add(s);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new MetadataStoreException("The metadata store " + description + " is closed", null);
        }
    }

    private static void executeBatch(PreparedStatement statement) throws SQLException {
        try {
            statement.executeBatch();
        } finally {
            statement.clearBatch();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            closeQuietly();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeQuietly() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        // A reader in use finishes its statement on a closed connection and fails; that is fine.
        for (Session reader : allReaders) {
            reader.close();
        }
    }

    /** A connection and its prepared statements, reused from call to call. Used by one thread at a time. */
    private static final class Session {
        final Connection connection;
        private final Map<String, PreparedStatement> statements = new HashMap<>();

        Session(Connection connection) {
            this.connection = connection;
        }

        PreparedStatement prepare(String statementSql) throws SQLException {
            PreparedStatement statement = statements.get(statementSql);
            if (statement == null) {
                statement = connection.prepareStatement(statementSql);
                statements.put(statementSql, statement);
            }
            return statement;
        }

        void close() {
            try {
                for (PreparedStatement statement : statements.values()) {
                    statement.close();
                }
                statements.clear();
                connection.close();
            } catch (SQLException e) {
                log.warn("Closing a metadata store connection failed", e);
            }
        }
    }

    // ---- topic configs as text: key=value pairs, URL-encoded, joined by & in key order

    static String encodeConfigs(Map<String, String> configs) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(configs).entrySet()) {
            if (out.length() > 0) {
                out.append('&');
            }
            out.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return out.toString();
    }

    static Map<String, String> decodeConfigs(String encoded) {
        if (encoded == null || encoded.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, String> configs = new HashMap<>();
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            configs.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return configs;
    }
}
