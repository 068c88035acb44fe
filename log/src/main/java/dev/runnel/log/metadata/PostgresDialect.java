package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * PostgreSQL, at READ COMMITTED. Writers do not take one global lock as SQLite's do; instead a
 * write transaction locks the rows it will update with {@code SELECT ... FOR UPDATE} (a second
 * commit of the same partition waits for the first and then reads its new offsets), and takes a
 * {@linkplain TransactionLock named lock} where there is no row to lock. Write transactions lock
 * partitions in one global order (topic name, then partition), so two commits cannot deadlock
 * on them; any deadlock or serialization failure that still happens is {@linkplain #isRetriable
 * retried}.
 *
 * <p>The named locks are transaction-scoped advisory locks. They belong to the database, not to a
 * schema: stores of two schemas in one database share them, which costs waiting, never correctness.
 */
final class PostgresDialect implements SqlDialect {

    static final PostgresDialect INSTANCE = new PostgresDialect();

    static final String UNIQUE_VIOLATION = "23505";
    static final String SERIALIZATION_FAILURE = "40001";
    static final String DEADLOCK_DETECTED = "40P01";

    /** "runnel" in ASCII, in the high bytes of every advisory lock key of ours; the lock's ordinal in the low ones. */
    private static final long ADVISORY_LOCK_BASE = 0x72756e6e656cL << 16;

    private PostgresDialect() {
    }

    /** Auto-commit goes off once and stays off: the driver then begins each transaction with its first statement. */
    @Override
    public void beginWrite(Connection connection) throws SQLException {
        if (connection.getAutoCommit()) {
            connection.setAutoCommit(false);
        }
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        connection.commit();
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        connection.rollback();
    }

    @Override
    public String lockRowsSuffix() {
        return " FOR UPDATE";
    }

    @Override
    public void lock(Connection connection, TransactionLock lock) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            statement.setLong(1, ADVISORY_LOCK_BASE + lock.ordinal());
            statement.execute();
        }
    }

    @Override
    public String bytesType() {
        return "BYTEA";
    }

    /** The "C" collation compares UTF-8 bytes, which is code point order. */
    @Override
    public String codePointText() {
        return "TEXT COLLATE \"C\"";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        return hasState(e, UNIQUE_VIOLATION);
    }

    @Override
    public boolean isRetriable(SQLException e) {
        return hasState(e, SERIALIZATION_FAILURE, DEADLOCK_DETECTED);
    }

    /**
     * Whether the exception or one it chains has one of the SQL states: a failed batch throws a
     * BatchUpdateException that carries the server's error as its next exception.
     */
    private static boolean hasState(SQLException e, String... states) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            for (String state : states) {
                if (state.equals(x.getSQLState())) {
                    return true;
                }
            }
        }
        return false;
    }
}
