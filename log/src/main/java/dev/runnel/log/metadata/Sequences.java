package dev.runnel.log.metadata;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The named counters of the {@code sequences} table (producer ids, node ids), used inside a write transaction. */
final class Sequences {

    private final MetadataSql sql;

    Sequences(MetadataSql sql) {
        this.sql = sql;
    }

    /** Creates the sequence at {@code first} unless it exists. */
    void init(Session s, String name, long first) throws SQLException {
        PreparedStatement init = s.prepare(MetadataSql.SEQUENCE_INIT);
        init.setString(1, name);
        init.setLong(2, first);
        init.setString(3, name);
        init.executeUpdate();
    }

    /** The sequence's next value, its row locked until the transaction ends. */
    long value(Session s, String name) throws SQLException {
        PreparedStatement query = s.prepare(sql.sequenceForUpdate);
        query.setString(1, name);
        try (ResultSet rs = query.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("Sequence " + name + " is missing");
            }
            return rs.getLong(1);
        }
    }

    void set(Session s, String name, long next) throws SQLException {
        PreparedStatement update = s.prepare(MetadataSql.SEQUENCE_SET);
        update.setLong(1, next);
        update.setString(2, name);
        update.executeUpdate();
    }

    /** Sets the sequence's next value to {@code next} if it is lower. */
    void raise(Session s, String name, long next) throws SQLException {
        PreparedStatement raise = s.prepare(MetadataSql.SEQUENCE_RAISE);
        raise.setLong(1, next);
        raise.setString(2, name);
        raise.setLong(3, next);
        raise.executeUpdate();
    }
}
