package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * SQLite: connections stay in JDBC auto-commit mode and transactions are opened by hand with
 * {@code BEGIN IMMEDIATE}, which takes the database's single write lock at once (waiting up to
 * the busy timeout). The driver's own transaction handling is avoided on purpose: with
 * auto-commit off it begins the next transaction right after each commit, which would hold the
 * write lock between commits and block every other process.
 */
final class SqliteDialect implements SqlDialect {

    static final SqliteDialect INSTANCE = new SqliteDialect();

    /** SQLITE_CONSTRAINT; the extended codes (PRIMARYKEY, UNIQUE) keep it in the low byte. */
    private static final int SQLITE_CONSTRAINT = 19;
    private static final int SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
    private static final int SQLITE_CONSTRAINT_UNIQUE = 2067;

    private SqliteDialect() {
    }

    @Override
    public void beginWrite(Connection connection) throws SQLException {
        exec(connection, "BEGIN IMMEDIATE");
    }

    @Override
    public void commit(Connection connection) throws SQLException {
        exec(connection, "COMMIT");
    }

    @Override
    public void rollback(Connection connection) throws SQLException {
        exec(connection, "ROLLBACK");
    }

    @Override
    public String lockRowsSuffix() {
        return "";
    }

    @Override
    public String clusteredTableSuffix() {
        return " WITHOUT ROWID";
    }

    @Override
    public String bytesType() {
        return "BLOB";
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        int code = e.getErrorCode();
        return code == SQLITE_CONSTRAINT_PRIMARYKEY || code == SQLITE_CONSTRAINT_UNIQUE
                || (code == SQLITE_CONSTRAINT && e.getMessage() != null && e.getMessage().contains("UNIQUE"));
    }

    private static void exec(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
