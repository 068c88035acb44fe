package dev.runnel.log.metadata;

import java.util.List;

/**
 * Every statement {@link JdbcMetadataStore} runs, in one place. Plain SQL that SQLite and
 * PostgreSQL both accept; the few differences come from the {@link SqlDialect}.
 *
 * <p>Partitions, index entries and producer state are keyed by the topic's id, so a topic
 * deleted and created again under the same name never sees the old one's rows. Reads by
 * partition name join {@code topics} on its primary key.
 */
final class MetadataSql {

    /** 2 added the {@code kv} table. */
    static final int SCHEMA_VERSION = 2;

    static final String PRODUCER_ID_SEQUENCE = "producer_id";
    static final String NODE_ID_SEQUENCE = "node_id";

    // ---- schema

    static final String SCHEMA_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)";
    /** Every table and index but {@code schema_version}; each statement is a no-op where its object exists. */
    final List<String> schema;

    static final String SCHEMA_VERSION_SELECT = "SELECT MAX(version) FROM schema_version";
    static final String SCHEMA_VERSION_INSERT = "INSERT INTO schema_version (version) VALUES (?)";
    static final String SCHEMA_VERSION_UPDATE = "UPDATE schema_version SET version = ?";
    static final String SEQUENCE_INIT = "INSERT INTO sequences (name, next_value) SELECT ?, ? "
            + "WHERE NOT EXISTS (SELECT 1 FROM sequences WHERE name = ?)";

    // ---- topics

    private static final String TOPIC_COLUMNS = "SELECT name, id, partition_count, configs FROM topics";
    static final String TOPIC_BY_NAME = TOPIC_COLUMNS + " WHERE name = ?";
    static final String TOPIC_BY_ID = TOPIC_COLUMNS + " WHERE id = ?";
    static final String ALL_TOPICS = TOPIC_COLUMNS + " ORDER BY name";
    static final String TOPIC_ID_BY_NAME = "SELECT id, partition_count FROM topics WHERE name = ?";
    static final String INSERT_TOPIC = "INSERT INTO topics (name, id, partition_count, configs) VALUES (?, ?, ?, ?)";
    static final String INSERT_PARTITION = "INSERT INTO partitions (topic_id, partition_index, log_start_offset, "
            + "next_offset) VALUES (?, ?, 0, 0)";
    final String partitionsOfTopicForUpdate;
    static final String DELETE_INDEX_OF_TOPIC = "DELETE FROM index_entries WHERE topic_id = ?";
    static final String DELETE_PRODUCERS_OF_TOPIC = "DELETE FROM producer_state WHERE topic_id = ?";
    static final String DELETE_PARTITIONS_OF_TOPIC = "DELETE FROM partitions WHERE topic_id = ?";
    static final String DELETE_GROUP_OFFSETS_OF_TOPIC = "DELETE FROM group_offsets WHERE topic_name = ?";
    static final String DELETE_TOPIC = "DELETE FROM topics WHERE id = ?";

    // ---- commit

    final String partitionRangeForUpdate;
    final String partitionForUpdate;
    final String producerStateRangeForUpdate;
    final String producerStateForUpdate;
    static final String UPDATE_NEXT_OFFSET =
            "UPDATE partitions SET next_offset = ? WHERE topic_id = ? AND partition_index = ?";
    final String upsertProducerState;
    static final String INSERT_INDEX_ENTRY = "INSERT INTO index_entries (topic_id, partition_index, base_offset, "
            + "last_offset, object_key, byte_position, byte_size, max_timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    // ---- fetch
    // Entries never overlap, so ordering by last_offset is ordering by base_offset; it lets the
    // primary key (topic_id, partition_index, last_offset) serve both the filter and the order.

    static final String OFFSETS = "SELECT p.log_start_offset, p.next_offset FROM topics t "
            + "JOIN partitions p ON p.topic_id = t.id WHERE t.name = ? AND p.partition_index = ?";
    private static final String ENTRY_COLUMNS = "SELECT e.base_offset, e.last_offset, e.object_key, "
            + "e.byte_position, e.byte_size, e.max_timestamp FROM topics t "
            + "JOIN index_entries e ON e.topic_id = t.id WHERE t.name = ? AND e.partition_index = ?";
    static final String ENTRIES = ENTRY_COLUMNS + " AND e.last_offset >= ? ORDER BY e.last_offset LIMIT ?";
    static final String ENTRY_FOR_TIMESTAMP = ENTRY_COLUMNS + " AND e.max_timestamp >= ? "
            + "ORDER BY e.last_offset LIMIT 1";

    // ---- retention and object garbage collection
    // An entry's object becomes dead when the last index entry referencing it goes. Timestamps
    // are bound with CAST so that PostgreSQL knows their type in a SELECT list.

    static final String PARTITION_BYTES_BY_NAME = "SELECT COALESCE(SUM(e.byte_size), 0) FROM topics t "
            + "JOIN index_entries e ON e.topic_id = t.id WHERE t.name = ? AND e.partition_index = ?";
    static final String PARTITION_BYTES = "SELECT COALESCE(SUM(byte_size), 0) FROM index_entries "
            + "WHERE topic_id = ? AND partition_index = ?";
    static final String OLDEST_ENTRIES = "SELECT last_offset, object_key, byte_size, max_timestamp "
            + "FROM index_entries WHERE topic_id = ? AND partition_index = ? AND last_offset > ? "
            + "ORDER BY last_offset LIMIT ?";
    static final String FIRST_ENTRY_BASE = "SELECT base_offset FROM index_entries "
            + "WHERE topic_id = ? AND partition_index = ? ORDER BY last_offset LIMIT 1";
    static final String DELETE_INDEX_PREFIX = "DELETE FROM index_entries "
            + "WHERE topic_id = ? AND partition_index = ? AND last_offset <= ?";
    static final String UPDATE_LOG_START_OFFSET =
            "UPDATE partitions SET log_start_offset = ? WHERE topic_id = ? AND partition_index = ?";
    /** A later death restarts the grace period (an object referenced again in between must not go early). */
    private static final String ON_DEAD_CONFLICT =
            " ON CONFLICT (object_key) DO UPDATE SET dead_since_ms = excluded.dead_since_ms";
    static final String INSERT_DEAD_IF_UNREFERENCED = "INSERT INTO dead_objects (object_key, dead_since_ms) "
            + "SELECT ?, CAST(? AS BIGINT) WHERE NOT EXISTS (SELECT 1 FROM index_entries WHERE object_key = ?)"
            + ON_DEAD_CONFLICT;
    /** Before the topic's entries are deleted: its objects that no other topic references. */
    static final String INSERT_DEAD_OF_TOPIC = "INSERT INTO dead_objects (object_key, dead_since_ms) "
            + "SELECT e.object_key, CAST(? AS BIGINT) FROM index_entries e WHERE e.topic_id = ? "
            + "AND NOT EXISTS (SELECT 1 FROM index_entries o WHERE o.object_key = e.object_key AND o.topic_id <> ?) "
            + "GROUP BY e.object_key" + ON_DEAD_CONFLICT;
    static final String DEAD_OBJECTS = "SELECT d.object_key FROM dead_objects d WHERE d.dead_since_ms <= ? "
            + "AND NOT EXISTS (SELECT 1 FROM index_entries e WHERE e.object_key = d.object_key) "
            + "ORDER BY d.dead_since_ms, d.object_key LIMIT ?";
    static final String DELETE_DEAD_OBJECT = "DELETE FROM dead_objects WHERE object_key = ?";
    /** One statement, so both tables are read in one snapshot: an object moving from one to the other is seen. */
    static final String OBJECT_TRACKED = "SELECT CASE WHEN EXISTS (SELECT 1 FROM index_entries WHERE object_key = ?) "
            + "OR EXISTS (SELECT 1 FROM dead_objects WHERE object_key = ?) THEN 1 ELSE 0 END";

    // ---- sequences

    final String sequenceForUpdate;
    static final String SEQUENCE_SET = "UPDATE sequences SET next_value = ? WHERE name = ?";
    static final String SEQUENCE_RAISE = "UPDATE sequences SET next_value = ? WHERE name = ? AND next_value < ?";

    // ---- groups

    final String upsertGroupOffset;
    static final String GROUP_OFFSETS = "SELECT topic_name, partition_index, committed_offset, leader_epoch, "
            + "metadata, commit_timestamp FROM group_offsets WHERE group_id = ?";
    static final String GROUP_IDS = "SELECT DISTINCT group_id FROM group_offsets ORDER BY group_id";

    // ---- agents

    static final String AGENT_EXISTS = "SELECT 1 FROM agents WHERE node_id = ?";
    final String upsertAgent;
    static final String LIVE_AGENTS = "SELECT node_id, host, port, zone FROM agents WHERE heartbeat_ms >= ? "
            + "ORDER BY node_id";
    static final String DELETE_AGENT = "DELETE FROM agents WHERE node_id = ?";

    // ---- kv (see JdbcKvStore)
    // A prefix is matched with substr, not LIKE: LIKE has wildcards to escape and ignores case in
    // SQLite. substr counts characters (code points) in both databases.

    static final String KV_GET = "SELECT value, version FROM kv WHERE key = ?";
    static final String KV_LIST = "SELECT key, value, version FROM kv WHERE key >= ? AND substr(key, 1, ?) = ? "
            + "ORDER BY key";
    static final String KV_CREATE = "INSERT INTO kv (key, value, version) VALUES (?, ?, 1) ON CONFLICT (key) DO NOTHING";
    /** Where another transaction updated the row first, PostgreSQL re-checks the version on its result. */
    static final String KV_UPDATE = "UPDATE kv SET value = ?, version = version + 1 WHERE key = ? AND version = ?";
    static final String KV_DELETE = "DELETE FROM kv WHERE key = ? AND version = ?";

    MetadataSql(SqlDialect dialect) {
        String clustered = dialect.clusteredTableSuffix();
        String lock = dialect.lockRowsSuffix();
        schema = List.of(
                "CREATE TABLE IF NOT EXISTS sequences (name VARCHAR(64) NOT NULL PRIMARY KEY, "
                        + "next_value BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS topics (name VARCHAR(255) NOT NULL PRIMARY KEY, "
                        + "id VARCHAR(32) NOT NULL UNIQUE, partition_count INTEGER NOT NULL, configs TEXT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS partitions (topic_id VARCHAR(32) NOT NULL, "
                        + "partition_index INTEGER NOT NULL, log_start_offset BIGINT NOT NULL, "
                        + "next_offset BIGINT NOT NULL, PRIMARY KEY (topic_id, partition_index))" + clustered,
                "CREATE TABLE IF NOT EXISTS index_entries (topic_id VARCHAR(32) NOT NULL, "
                        + "partition_index INTEGER NOT NULL, base_offset BIGINT NOT NULL, "
                        + "last_offset BIGINT NOT NULL, object_key TEXT NOT NULL, byte_position INTEGER NOT NULL, "
                        + "byte_size INTEGER NOT NULL, max_timestamp BIGINT NOT NULL, "
                        + "PRIMARY KEY (topic_id, partition_index, last_offset))" + clustered,
                // Keyed by producer before partition: one commit usually holds a few producers' batches
                // for many partitions, which then load with one range query per producer.
                "CREATE TABLE IF NOT EXISTS producer_state (topic_id VARCHAR(32) NOT NULL, "
                        + "producer_id BIGINT NOT NULL, partition_index INTEGER NOT NULL, "
                        + "producer_epoch SMALLINT NOT NULL, recent_batches TEXT NOT NULL, "
                        + "last_update_ms BIGINT NOT NULL, "
                        + "PRIMARY KEY (topic_id, producer_id, partition_index))" + clustered,
                "CREATE TABLE IF NOT EXISTS group_offsets (group_id TEXT NOT NULL, topic_name VARCHAR(255) NOT NULL, "
                        + "partition_index INTEGER NOT NULL, committed_offset BIGINT NOT NULL, "
                        + "leader_epoch INTEGER NOT NULL, metadata TEXT, commit_timestamp BIGINT NOT NULL, "
                        + "PRIMARY KEY (group_id, topic_name, partition_index))" + clustered,
                "CREATE INDEX IF NOT EXISTS group_offsets_by_topic ON group_offsets (topic_name)",
                "CREATE TABLE IF NOT EXISTS agents (node_id INTEGER NOT NULL PRIMARY KEY, host TEXT NOT NULL, "
                        + "port INTEGER NOT NULL, zone TEXT, heartbeat_ms BIGINT NOT NULL)",
                // Added after schema version 1 shipped, without a new version: some version-1
                // databases have them, and the upgrade to version 2 adds them to the others.
                "CREATE INDEX IF NOT EXISTS index_entries_by_object ON index_entries (object_key)",
                "CREATE TABLE IF NOT EXISTS dead_objects (object_key TEXT NOT NULL PRIMARY KEY, "
                        + "dead_since_ms BIGINT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS dead_objects_by_time ON dead_objects (dead_since_ms)",
                // Schema version 2.
                "CREATE TABLE IF NOT EXISTS kv (key " + dialect.codePointText() + " NOT NULL PRIMARY KEY, "
                        + "value " + dialect.bytesType() + " NOT NULL, version BIGINT NOT NULL)");

        // PostgreSQL locks rows in the order it reads them. Every transaction locks partitions in
        // partition order within a topic (and CommitTransaction visits topics by name), so two
        // transactions never each hold a partition the other waits for.
        partitionRangeForUpdate = "SELECT partition_index, log_start_offset, next_offset FROM partitions "
                + "WHERE topic_id = ? AND partition_index BETWEEN ? AND ? ORDER BY partition_index" + lock;
        partitionForUpdate = "SELECT partition_index, log_start_offset, next_offset FROM partitions "
                + "WHERE topic_id = ? AND partition_index = ?" + lock;
        partitionsOfTopicForUpdate = "SELECT partition_index FROM partitions WHERE topic_id = ? "
                + "ORDER BY partition_index" + lock;
        producerStateRangeForUpdate = "SELECT partition_index, producer_epoch, recent_batches FROM producer_state "
                + "WHERE topic_id = ? AND producer_id = ? AND partition_index BETWEEN ? AND ?" + lock;
        producerStateForUpdate = "SELECT partition_index, producer_epoch, recent_batches FROM producer_state "
                + "WHERE topic_id = ? AND producer_id = ? AND partition_index = ?" + lock;
        upsertProducerState = dialect.upsert("producer_state",
                List.of("topic_id", "producer_id", "partition_index"),
                List.of("producer_epoch", "recent_batches", "last_update_ms"));
        sequenceForUpdate = "SELECT next_value FROM sequences WHERE name = ?" + lock;
        upsertGroupOffset = dialect.upsert("group_offsets",
                List.of("group_id", "topic_name", "partition_index"),
                List.of("committed_offset", "leader_epoch", "metadata", "commit_timestamp"));
        upsertAgent = dialect.upsert("agents", List.of("node_id"), List.of("host", "port", "zone", "heartbeat_ms"));
    }
}
