package dev.runnel.log.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Creates the schema of a new database, upgrades the schema of an older one in place, and refuses a
 * database of a newer schema. Upgrading runs every statement of {@link MetadataSql#schema}: each
 * creates its table or index only where it is missing, so one list serves every older version.
 * A database already at this version is left alone, so opening a store takes no table locks.
 */
final class MetadataSchema {

    private MetadataSchema() {
    }

    static void create(Session s, SqlDialect dialect, MetadataSql sql, Sequences sequences, String description)
            throws SQLException {
        dialect.lock(s.connection, SqlDialect.TransactionLock.SCHEMA);
        execute(s, MetadataSql.SCHEMA_VERSION_TABLE);
        int version;
        try (ResultSet rs = s.prepare(MetadataSql.SCHEMA_VERSION_SELECT).executeQuery()) {
            rs.next();
            version = rs.getInt(1);
        }
        if (version > MetadataSql.SCHEMA_VERSION) {
            throw new MetadataStoreException("The metadata store " + description + " has schema version "
                    + version + ", newer than the " + MetadataSql.SCHEMA_VERSION + " this build knows", null);
        }
        if (version == MetadataSql.SCHEMA_VERSION) {
            return;
        }
        for (String ddl : sql.schema) {
            execute(s, ddl);
        }
        if (version == 0) {
            PreparedStatement insert = s.prepare(MetadataSql.SCHEMA_VERSION_INSERT);
            insert.setInt(1, MetadataSql.SCHEMA_VERSION);
            insert.executeUpdate();
            sequences.init(s, MetadataSql.PRODUCER_ID_SEQUENCE, 0L);
            sequences.init(s, MetadataSql.NODE_ID_SEQUENCE, 1L);
        } else {
            PreparedStatement update = s.prepare(MetadataSql.SCHEMA_VERSION_UPDATE);
            update.setInt(1, MetadataSql.SCHEMA_VERSION);
            update.executeUpdate();
        }
    }

    private static void execute(Session s, String ddl) throws SQLException {
        try (PreparedStatement statement = s.connection.prepareStatement(ddl)) {
            statement.execute();
        }
    }
}
