package dev.runnel.log.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.protocol.Errors;

/**
 * One {@link MetadataStore#commit} of one or more objects, inside its write transaction: reads
 * (and locks) the partitions and idempotent-producer state the batches name, checks and appends
 * each object's batches in order, then writes the new offsets, producer state and index entries.
 */
final class CommitTransaction {

    private record ProducerKey(String topicId, int partition, long producerId) {
    }

    /** Sets a query's parameters before the partition ones and returns the index of the first of those. */
    @FunctionalInterface
    private interface KeyParameters {
        int set(PreparedStatement query) throws SQLException;
    }

    @FunctionalInterface
    private interface RowReader {
        void read(ResultSet row) throws SQLException;
    }

    private final Session s;
    private final MetadataSql sql;
    private final List<ObjectCommit> objects;
    private final long now;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    private final Map<ProducerKey, ProducerState> producers = new LinkedHashMap<>();
    private final List<PartitionState.Run> entries = new ArrayList<>();

    CommitTransaction(Session s, MetadataSql sql, List<ObjectCommit> objects, long now) {
        this.s = s;
        this.sql = sql;
        this.objects = objects;
        this.now = now;
    }

    List<List<AppendResult>> run() throws SQLException {
        loadPartitions();
        loadProducers();
        List<List<AppendResult>> results = new ArrayList<>(objects.size());
        for (ObjectCommit object : objects) {
            AppendResult[] objectResults = new AppendResult[object.batches().size()];
            for (int i = 0; i < objectResults.length; i++) {
                objectResults[i] = append(object.objectKey(), object.batches().get(i));
            }
            for (PartitionState p : partitions.values()) {
                p.closeRun(entries);
            }
            results.add(Arrays.asList(objectResults));
        }
        store();
        return results;
    }

    private Iterable<BatchAppend> allBatches() {
        return () -> objects.stream().flatMap(o -> o.batches().stream()).iterator();
    }

    private AppendResult append(String objectKey, BatchAppend batch) {
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
                ProducerState.SequencedBatch duplicate = state.find(producer.baseSequence(), producer.lastSequence());
                if (duplicate != null) {
                    p.closeRun(entries);
                    return AppendResult.duplicateOf(duplicate.baseOffset(), p.logStartOffset);
                }
                if (state.isOutOfSequence(producer.baseSequence())) {
                    p.closeRun(entries);
                    return AppendResult.rejected(Errors.OUT_OF_ORDER_SEQUENCE_NUMBER);
                }
            }
        }
        long baseOffset = p.nextOffset;
        p.nextOffset += batch.offsetCount();
        if (state != null) {
            state.add(new ProducerState.SequencedBatch(producer.baseSequence(), producer.lastSequence(), baseOffset));
        }
        p.extendRun(entries, objectKey, batch, baseOffset);
        return AppendResult.appended(baseOffset, p.logStartOffset);
    }

    /**
     * Reads (and locks) the partitions the batches name, one query per topic (or per partition if
     * they are few and far apart). Topics are visited by name, partitions in order, the lock order
     * every write transaction keeps (see {@link MetadataSql}).
     */
    private void loadPartitions() throws SQLException {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (BatchAppend batch : allBatches()) {
            byTopic.computeIfAbsent(batch.partition().topic(), t -> new ArrayList<>())
                    .add(batch.partition().partition());
        }
        PreparedStatement topicQuery = s.prepare(MetadataSql.TOPIC_ID_BY_NAME);
        for (Map.Entry<String, List<Integer>> topic : byTopic.entrySet()) {
            String topicName = topic.getKey();
            String topicId;
            int partitionCount;
            topicQuery.setString(1, topicName);
            try (ResultSet rs = topicQuery.executeQuery()) {
                if (!rs.next()) {
                    continue;
                }
                topicId = rs.getString(1);
                partitionCount = rs.getInt(2);
            }
            int[] wanted = sortedDistinct(topic.getValue().stream().mapToInt(Integer::intValue)
                    .filter(p -> p >= 0 && p < partitionCount));
            if (wanted.length == 0) {
                continue;
            }
            readPartitions(sql.partitionRangeForUpdate, sql.partitionForUpdate, wanted,
                    query -> {
                        query.setString(1, topicId);
                        return 2;
                    },
                    rs -> {
                        int partition = rs.getInt(1);
                        partitions.put(new TopicPartition(topicName, partition),
                                new PartitionState(topicId, partition, rs.getLong(2), rs.getLong(3)));
                    });
        }
    }

    /** Reads the state of the idempotent producers of the batches, one query per topic and producer if it can. */
    private void loadProducers() throws SQLException {
        Map<ProducerKey, List<Integer>> wantedByProducer = new LinkedHashMap<>();
        for (BatchAppend batch : allBatches()) {
            PartitionState p = partitions.get(batch.partition());
            if (p != null && batch.producer().isIdempotent()) {
                wantedByProducer.computeIfAbsent(new ProducerKey(p.topicId, -1, batch.producer().producerId()),
                        k -> new ArrayList<>()).add(p.partition);
            }
        }
        for (Map.Entry<ProducerKey, List<Integer>> e : wantedByProducer.entrySet()) {
            String topicId = e.getKey().topicId();
            long producerId = e.getKey().producerId();
            int[] wanted = sortedDistinct(e.getValue().stream().mapToInt(Integer::intValue));
            readPartitions(sql.producerStateRangeForUpdate, sql.producerStateForUpdate, wanted,
                    query -> {
                        query.setString(1, topicId);
                        query.setLong(2, producerId);
                        return 3;
                    },
                    rs -> producers.put(new ProducerKey(topicId, rs.getInt(1), producerId),
                            ProducerState.decode(rs.getShort(2), rs.getString(3))));
        }
    }

    /**
     * Runs a query whose last parameters select partitions, and whose rows start with the partition,
     * for the sorted {@code wanted} ones: as one range query if they are {@link #dense}, else as one
     * query each. Hands the rows of the wanted partitions to {@code reader}.
     */
    private void readPartitions(String rangeSql, String oneSql, int[] wanted, KeyParameters key, RowReader reader)
            throws SQLException {
        if (dense(wanted)) {
            PreparedStatement range = s.prepare(rangeSql);
            int first = key.set(range);
            range.setInt(first, wanted[0]);
            range.setInt(first + 1, wanted[wanted.length - 1]);
            readRows(range, wanted, reader);
        } else {
            PreparedStatement one = s.prepare(oneSql);
            for (int partition : wanted) {
                one.setInt(key.set(one), partition);
                readRows(one, wanted, reader);
            }
        }
    }

    private static void readRows(PreparedStatement query, int[] wanted, RowReader reader) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                if (Arrays.binarySearch(wanted, rs.getInt(1)) >= 0) {
                    reader.read(rs);
                }
            }
        }
    }

    /**
     * Whether the sorted partitions are close enough together to read with one range query rather
     * than one query each (reading a few rows too many is cheaper than many queries).
     */
    private static boolean dense(int[] sorted) {
        long span = (long) sorted[sorted.length - 1] - sorted[0] + 1;
        return span <= 4L * sorted.length + 16;
    }

    private static int[] sortedDistinct(IntStream values) {
        return values.distinct().sorted().toArray();
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
            Session.executeBatch(offsets);
        }
        if (producers.values().stream().anyMatch(state -> state.changed)) {
            PreparedStatement upsert = s.prepare(sql.upsertProducerState);
            for (Map.Entry<ProducerKey, ProducerState> e : producers.entrySet()) {
                ProducerState state = e.getValue();
                if (state.changed) {
                    upsert.setString(1, e.getKey().topicId());
                    upsert.setLong(2, e.getKey().producerId());
                    upsert.setInt(3, e.getKey().partition());
                    upsert.setShort(4, state.epoch);
                    upsert.setString(5, state.encode());
                    upsert.setLong(6, now);
                    upsert.addBatch();
                }
            }
            Session.executeBatch(upsert);
        }
        if (!entries.isEmpty()) {
            PreparedStatement insert = s.prepare(MetadataSql.INSERT_INDEX_ENTRY);
            for (PartitionState.Run run : entries) {
                insert.setString(1, run.topicId);
                insert.setInt(2, run.partition);
                insert.setLong(3, run.baseOffset);
                insert.setLong(4, run.lastOffset);
                insert.setString(5, run.objectKey);
                insert.setInt(6, run.position);
                insert.setInt(7, run.size);
                insert.setLong(8, run.maxTimestamp);
                insert.addBatch();
            }
            Session.executeBatch(insert);
        }
    }
}
