package dev.runnel.log.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContractTest {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("metadata.db");
    }

    @Override
    protected MetadataStore createStore() {
        return SqliteMetadataStore.open(file(), time);
    }

    @Override
    protected void failIndexInsertsOf(String objectKey) throws SQLException {
        sql("CREATE TRIGGER fail_index_insert BEFORE INSERT ON index_entries "
                + "WHEN NEW.object_key = '" + objectKey + "' AND NEW.partition_index > 0 "
                + "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
    }

    @Override
    protected void stopFailingIndexInserts() throws SQLException {
        sql("DROP TRIGGER fail_index_insert");
    }

    @Override
    protected Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout = 10000");
        }
        return c;
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private String query(String statement) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(statement)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void usesWalAndRecordsTheSchemaVersion() throws SQLException {
        assertThat(query("PRAGMA journal_mode")).isEqualTo("wal");
        assertThat(query("SELECT version FROM schema_version")).isEqualTo(String.valueOf(MetadataSql.SCHEMA_VERSION));
        try (Connection c = SqliteMetadataStore.connect(file(), true, true); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("PRAGMA synchronous")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(2); // FULL
        }
    }

    @Test
    void storesOpenedConcurrentlyOnANewFileAgreeOnOneSchema() throws Exception {
        Path fresh = dir.resolve("fresh.db");
        int stores = 4;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(stores);
        try {
            List<java.util.concurrent.Future<MetadataStore>> opening = new ArrayList<>();
            for (int i = 0; i < stores; i++) {
                opening.add(pool.submit(() -> SqliteMetadataStore.open(fresh, time)));
            }
            List<MetadataStore> opened = new ArrayList<>();
            for (java.util.concurrent.Future<MetadataStore> f : opening) {
                opened.add(f.get(30, TimeUnit.SECONDS));
            }
            opened.get(0).createTopic("a", 1, Map.of());
            for (MetadataStore s : opened) {
                assertThat(s.commit("o", List.of(batch(A0, 0, 1, 1, 1)))).hasSize(1);
                s.allocateProducerId();
            }
            assertThat(opened.get(3).offsets(A0)).contains(new PartitionOffsets(0, stores));
            opened.forEach(MetadataStore::close);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesANewerSchema() throws SQLException {
        store.close();
        int newer = MetadataSql.SCHEMA_VERSION + 1;
        sql("UPDATE schema_version SET version = " + newer);
        assertThatThrownBy(this::createStore).isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("schema version " + newer);
    }

    @Test
    void aDuplicateTopicRacingPastTheCheckIsStillTopicExists() {
        // The unique constraint is the last line of defence (it is the only one in PostgreSQL).
        assertThat(SqliteDialect.INSTANCE.isUniqueViolation(new SQLException("x", "23000", 2067))).isTrue();
        assertThat(SqliteDialect.INSTANCE.isUniqueViolation(new SQLException("x", "HY000", 5))).isFalse();
        store.createTopic("a", 1, Map.of());
        assertThatThrownBy(() -> openStore().createTopic("a", 1, Map.of())).isInstanceOf(TopicExistsException.class);
    }

    @Test
    void aClosedStoreFailsCleanly() {
        store.close();
        assertThatThrownBy(() -> store.topics()).isInstanceOf(MetadataStoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.allocateProducerId()).isInstanceOf(MetadataStoreException.class);
        store.close();
    }

    @Test
    void processesSharingTheFileCommitWithoutLosingOffsets() throws Exception {
        store.createTopic("a", 1, Map.of());
        int commits = 50;
        List<Process> children = List.of(startChild(commits), startChild(commits));
        List<Long> acknowledged = new ArrayList<>();
        for (Process child : children) {
            try (BufferedReader out = reader(child)) {
                out.lines().map(Long::parseLong).forEach(acknowledged::add);
            }
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isZero();
        }

        assertThat(acknowledged).hasSize(2 * commits).doesNotHaveDuplicates();
        assertThat(highWatermark(A0)).isEqualTo(4L * commits);
        assertThat(store.entries(A0, 0, 1000)).hasSize(2 * commits)
                .extracting(IndexEntry::baseOffset).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void everyAcknowledgedCommitSurvivesKillMinus9() throws Exception {
        store.createTopic("a", 1, Map.of());
        Process child = startChild(-1);
        long lastAcknowledged = 0;
        try (BufferedReader out = reader(child)) {
            for (int i = 0; i < 30; i++) {
                String line = out.readLine();
                assertThat(line).as("child output").isNotNull();
                lastAcknowledged = Long.parseLong(line);
            }
            // SIGKILL; through the handle, so the pipe stays open to read what was acknowledged before the kill
            assertThat(child.toHandle().destroyForcibly()).isTrue();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String line;
            while ((line = out.readLine()) != null) {
                lastAcknowledged = Long.parseLong(line);
            }
        }

        reopen();
        long highWatermark = highWatermark(A0);
        assertThat(highWatermark).isGreaterThanOrEqualTo(lastAcknowledged).isLessThanOrEqualTo(lastAcknowledged + 2);
        List<IndexEntry> entries = store.entries(A0, 0, 10_000);
        assertThat(entries).hasSize((int) (highWatermark / 2));
        for (int i = 0; i < entries.size(); i++) {
            assertThat(entries.get(i).baseOffset()).isEqualTo(2L * i);
        }
        // The store is usable after the crash.
        assertThat(store.commit("after", List.of(batch(A0, 0, 1, 1, 1)))).containsExactly(ok(highWatermark));
    }

    private Process startChild(int commits) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-cp", classPath, MetadataStoreChild.class.getName(),
                file().toString(), Integer.toString(commits))
                .redirectError(dir.resolve("child-" + System.nanoTime() + ".err").toFile())
                .start();
    }

    private static BufferedReader reader(Process process) {
        return new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }
}
