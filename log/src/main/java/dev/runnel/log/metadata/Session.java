package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A connection and its prepared statements, reused from call to call. Used by one thread at a time. */
final class Session {

    private static final Logger log = LoggerFactory.getLogger(Session.class);

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

    /** Executes the statement's batch and clears it, also on failure, so the cached statement is clean for reuse. */
    static void executeBatch(PreparedStatement statement) throws SQLException {
        try {
            statement.executeBatch();
        } finally {
            statement.clearBatch();
        }
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
