package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What differs between the databases a {@link JdbcMetadataStore} runs on. Everything else in
 * {@link MetadataSql} is plain SQL that SQLite and PostgreSQL both accept.
 */
interface SqlDialect {

    /**
     * Starts a transaction that will write, taking the write lock up front where the database
     * allows it (SQLite: {@code BEGIN IMMEDIATE}; PostgreSQL: {@code setAutoCommit(false)}, with
     * the rows to be updated read under {@link #lockRowsSuffix()}).
     */
    void beginWrite(Connection connection) throws SQLException;

    void commit(Connection connection) throws SQLException;

    void rollback(Connection connection) throws SQLException;

    /**
     * Appended to a SELECT inside a write transaction whose rows that transaction will update:
     * empty where {@link #beginWrite} already serializes writers, {@code " FOR UPDATE"} otherwise.
     */
    String lockRowsSuffix();

    /** Appended to CREATE TABLE of a table with a composite primary key, to cluster it by that key. */
    default String clusteredTableSuffix() {
        return "";
    }

    /** An INSERT that replaces the non-key columns when a row with the same key exists. */
    default String upsert(String table, List<String> keyColumns, List<String> valueColumns) {
        List<String> all = new java.util.ArrayList<>(keyColumns);
        all.addAll(valueColumns);
        return "INSERT INTO " + table + " (" + String.join(", ", all) + ") VALUES ("
                + all.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")"
                + " ON CONFLICT (" + String.join(", ", keyColumns) + ") DO UPDATE SET "
                + valueColumns.stream().map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
    }

    /** Whether the exception reports a violated primary-key or unique constraint. */
    boolean isUniqueViolation(SQLException e);
}
