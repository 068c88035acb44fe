package dev.runnel.log.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.Test;

/** The contract on a real PostgreSQL, a fresh schema per test; and what only PostgreSQL does. */
class PostgresMetadataStoreTest extends MetadataStoreContractTest {

    private String url;

    /** A new schema for each test (JUnit makes a new instance for each), made on the first open. */
    @Override
    protected MetadataStore createStore() {
        if (url == null) {
            url = PostgresTestServer.newSchema();
        }
        return PostgresMetadataStore.open(url, PostgresTestServer.USER, PostgresTestServer.PASSWORD, time);
    }

    @Override
    protected Connection connect() throws SQLException {
        return PostgresTestServer.connect(url);
    }

    @Override
    protected void failIndexInsertsOf(String objectKey) throws SQLException {
        sql("CREATE FUNCTION fail_index_insert() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF NEW.object_key = '" + objectKey + "' AND NEW.partition_index > 0 THEN "
                + "RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$");
        sql("CREATE TRIGGER fail_index_insert BEFORE INSERT ON index_entries FOR EACH ROW "
                + "EXECUTE FUNCTION fail_index_insert()");
    }

    @Override
    protected void stopFailingIndexInserts() throws SQLException {
        sql("DROP TRIGGER fail_index_insert ON index_entries");
        sql("DROP FUNCTION fail_index_insert()");
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    private long queryLong(String query) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Makes the next {@code times} updates of a partition's offsets fail as if the transaction had
     * lost a race. A sequence counts them: unlike a table, it does not roll back with the failure.
     */
    private void loseRacesOnPartitionUpdates(int times) throws SQLException {
        sql("CREATE SEQUENCE lost_races");
        sql("CREATE FUNCTION lose_a_race() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                + "IF nextval('lost_races') <= " + times + " THEN "
                + "RAISE EXCEPTION 'injected race' USING ERRCODE = 'serialization_failure'; END IF; "
                + "RETURN NEW; END $$");
        sql("CREATE TRIGGER lose_a_race BEFORE UPDATE ON partitions FOR EACH ROW EXECUTE FUNCTION lose_a_race()");
    }

    @Test
    void aTransactionThatLostARaceRunsAgain() throws SQLException {
        store.createTopic("a", 1, Map.of());
        long pid = store.allocateProducerId();
        loseRacesOnPartitionUpdates(2);

        assertThat(store.commit("o1", List.of(idempotent(A0, 0, 3, pid, 0, 0)))).containsExactly(ok(0));
        assertThat(queryLong("SELECT last_value FROM lost_races")).isEqualTo(3);
        // Exactly one of the three attempts took effect.
        assertThat(highWatermark(A0)).isEqualTo(3);
        assertThat(store.entries(A0, 0, 10)).hasSize(1);
        assertThat(store.commit("o2", List.of(idempotent(A0, 0, 3, pid, 0, 0)))).containsExactly(duplicate(0));
    }

    @Test
    void aTransactionThatKeepsLosingFailsAfterABoundedNumberOfAttempts() throws SQLException {
        store.createTopic("a", 1, Map.of());
        loseRacesOnPartitionUpdates(Integer.MAX_VALUE);

        assertThatThrownBy(() -> store.commit("o1", List.of(batch(A0, 0, 10, 1, 1))))
                .isInstanceOf(MetadataStoreException.class).hasMessageContaining("injected race");
        assertThat(queryLong("SELECT last_value FROM lost_races")).isEqualTo(JdbcSessions.MAX_WRITE_ATTEMPTS);
        assertThat(highWatermark(A0)).isZero();
    }

    @Test
    void recognisesItsErrorsBySqlState() {
        PostgresDialect dialect = PostgresDialect.INSTANCE;
        assertThat(dialect.isUniqueViolation(new SQLException("x", "23505"))).isTrue();
        assertThat(dialect.isUniqueViolation(new SQLException("x", "23503"))).isFalse();
        assertThat(dialect.isRetriable(new SQLException("x", "40001"))).isTrue();
        assertThat(dialect.isRetriable(new SQLException("x", "40P01"))).isTrue();
        assertThat(dialect.isRetriable(new SQLException("x", "55P03"))).isFalse();
        // A failed batch reports the server's error as the next exception.
        BatchUpdateException batch = new BatchUpdateException("batch entry 0 failed", "40001", new int[0]);
        batch.setNextException(new SQLException("deadlock detected", "40P01"));
        assertThat(dialect.isRetriable(batch)).isTrue();
        BatchUpdateException wrapped = new BatchUpdateException("batch entry 0 failed", null, new int[0]);
        wrapped.setNextException(new SQLException("duplicate key", "23505"));
        assertThat(dialect.isUniqueViolation(wrapped)).isTrue();
    }

    @Test
    void topicsCreatedConcurrentlyUnderOneNameFromTwoStoresHaveOneWinner() throws Exception {
        MetadataStore other = openStore();
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 5; round++) {
                String name = "t" + round;
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Boolean>> attempts = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    MetadataStore s = t % 2 == 0 ? store : other;
                    attempts.add(pool.submit(() -> {
                        start.await();
                        try {
                            s.createTopic(name, 2, Map.of());
                            return true;
                        } catch (TopicExistsException e) {
                            return false;
                        }
                    }));
                }
                start.countDown();
                int created = 0;
                for (Future<Boolean> attempt : attempts) {
                    created += attempt.get(30, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(created).as("creators of " + name).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.topics()).hasSize(5);
    }

    @Test
    void aUrlOfAnotherDatabaseIsRefusedWithoutShowingItsParameters() {
        assertThatThrownBy(() -> PostgresMetadataStore.open("jdbc:mysql://db/runnel?password=secret", "u", "p", time))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jdbc:postgresql:").hasMessageContaining("jdbc:mysql://db/runnel")
                .hasMessageNotContaining("secret");
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
    void storesOpenedConcurrentlyOnAnEmptySchemaAgreeOnOne() throws Exception {
        store.close();
        url = PostgresTestServer.newSchema();
        int stores = 4;
        ExecutorService pool = Executors.newFixedThreadPool(stores);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<MetadataStore>> opening = new ArrayList<>();
            for (int i = 0; i < stores; i++) {
                opening.add(pool.submit(() -> {
                    start.await();
                    return openStore();
                }));
            }
            start.countDown();
            List<MetadataStore> opened = new ArrayList<>();
            for (Future<MetadataStore> f : opening) {
                opened.add(f.get(30, TimeUnit.SECONDS));
            }
            opened.get(0).createTopic("a", 1, Map.of());
            for (MetadataStore s : opened) {
                assertThat(s.commit("o", List.of(batch(A0, 0, 1, 1, 1)))).hasSize(1);
            }
            assertThat(opened.get(3).offsets(A0)).contains(new PartitionOffsets(0, stores));
            assertThat(queryLong("SELECT COUNT(*) FROM schema_version")).isEqualTo(1);
            assertThat(queryLong("SELECT COUNT(*) FROM sequences")).isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStoreRecoversWhenTheServerDropsItsConnections() throws SQLException {
        store.createTopic("a", 1, Map.of());
        assertThat(store.commit("o1", List.of(batch(A0, 0, 10, 1, 1)))).containsExactly(ok(0));
        assertThat(store.topics()).hasSize(1); // opens a reader beside the writer

        assertThat(queryLong("SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                + "WHERE application_name = 'runnel'")).isGreaterThanOrEqualTo(2);

        // Readers are replaced and the read repeated, so reads do not fail.
        for (int i = 0; i < 8; i++) {
            assertThat(store.topics()).extracting(Topic::name).containsExactly("a");
        }
        // The write that finds its connection dead fails (it may or may not have committed before the
        // connection went, so it is not repeated blindly); the next opens a new connection.
        assertThatThrownBy(() -> store.commit("o2", List.of(batch(A0, 0, 10, 1, 1))))
                .isInstanceOf(MetadataStoreException.class);
        assertThat(store.commit("o3", List.of(batch(A0, 0, 10, 1, 1)))).containsExactly(ok(1));
    }
}
