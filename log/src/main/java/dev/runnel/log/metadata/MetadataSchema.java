package dev.runnel.log.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Creates the tables and sequences a new database lacks, and refuses a database of a newer schema. */
final class MetadataSchema {

    private MetadataSchema() {
    }

    static void create(Session s, MetadataSql sql, Sequences sequences, String description) throws SQLException {
        for (String ddl : sql.schema) {
            try (PreparedStatement statement = s.connection.prepareStatement(ddl)) {
                statement.execute();
            }
        }
        int version;
        try (ResultSet rs = s.prepare(MetadataSql.SCHEMA_VERSION_SELECT).executeQuery()) {
            rs.next();
            version = rs.getInt(1);
        }
        if (version == 0) {
            PreparedStatement insert = s.prepare(MetadataSql.SCHEMA_VERSION_INSERT);
            insert.setInt(1, MetadataSql.SCHEMA_VERSION);
            insert.executeUpdate();
            sequences.init(s, MetadataSql.PRODUCER_ID_SEQUENCE, 0L);
            sequences.init(s, MetadataSql.NODE_ID_SEQUENCE, 1L);
        } else if (version > MetadataSql.SCHEMA_VERSION) {
            throw new MetadataStoreException("The metadata store " + description + " has schema version "
                    + version + ", newer than the " + MetadataSql.SCHEMA_VERSION + " this build knows", null);
        }
    }
}
