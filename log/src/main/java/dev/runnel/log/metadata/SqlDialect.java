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

    /**
     * Whether the transaction failed only because it lost a race with another (a deadlock or a
     * serialization failure), so that running it again from the start may succeed.
     */
    default boolean isRetriable(SQLException e) {
        return false;
    }

    /**
     * Takes {@code lock} until the transaction ends, for work that the row locks of
     * {@link #lockRowsSuffix()} cannot serialize (rows that do not exist yet, or a decision that
     * depends on rows of other partitions). A no-op where {@link #beginWrite} already serializes
     * writers.
     */
    default void lock(Connection connection, TransactionLock lock) throws SQLException {
    }

    /** The type of a column of opaque bytes. */
    String bytesType();

    /**
     * The type of a text column that sorts and compares by code point, whatever the database's
     * collation, so that key ranges and prefixes mean the same everywhere.
     */
    default String codePointText() {
        return "TEXT";
    }

    /** The named locks of {@link #lock}. */
    enum TransactionLock {
        /** Held while creating or upgrading the schema, so stores opened at once do not race on DDL. */
        SCHEMA,
        /**
         * Held while deciding which objects lost their last index reference: two transactions that
         * each delete one of an object's references must not both still see the other's.
         */
        OBJECT_DEATHS
    }
}
