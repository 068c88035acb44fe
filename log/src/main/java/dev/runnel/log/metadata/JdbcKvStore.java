package dev.runnel.log.metadata;

import dev.runnel.log.kv.KvStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KvStore} in the {@code kv} table of a {@link JdbcMetadataStore}'s database, on its
 * sessions. Every write is one conditional statement, so it is atomic against every other client
 * of the database without further locking: creating inserts unless the key exists, and updating
 * or deleting matches the expected version in its WHERE clause (a concurrent writer that changed
 * the row first makes it match nothing). The row count tells whether the write won.
 */
final class JdbcKvStore implements KvStore {

    private final JdbcSessions sessions;

    JdbcKvStore(JdbcSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public Optional<Versioned> get(String key) {
        Objects.requireNonNull(key, "key");
        return sessions.read("read key " + key, s -> {
            PreparedStatement query = s.prepare(MetadataSql.KV_GET);
            query.setString(1, key);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new Versioned(key, rs.getBytes(1), rs.getLong(2))) : Optional.empty();
            }
        });
    }

    @Override
    public List<Versioned> list(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return sessions.read("list keys starting with " + prefix, s -> {
            PreparedStatement query = s.prepare(MetadataSql.KV_LIST);
            query.setString(1, prefix);
            query.setInt(2, prefix.codePointCount(0, prefix.length()));
            query.setString(3, prefix);
            List<Versioned> values = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    values.add(new Versioned(rs.getString(1), rs.getBytes(2), rs.getLong(3)));
                }
            }
            return values;
        });
    }

    @Override
    public Optional<Long> compareAndSet(String key, long expectedVersion, byte[] value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        checkVersion(expectedVersion);
        return sessions.write("write key " + key + " at version " + expectedVersion, s -> {
            PreparedStatement write;
            if (expectedVersion == Versioned.ABSENT) {
                write = s.prepare(MetadataSql.KV_CREATE);
                write.setString(1, key);
                write.setBytes(2, value);
            } else {
                write = s.prepare(MetadataSql.KV_UPDATE);
                write.setBytes(1, value);
                write.setString(2, key);
                write.setLong(3, expectedVersion);
            }
            return write.executeUpdate() == 1 ? Optional.of(expectedVersion + 1) : Optional.empty();
        });
    }

    @Override
    public boolean delete(String key, long expectedVersion) {
        Objects.requireNonNull(key, "key");
        checkVersion(expectedVersion);
        if (expectedVersion == Versioned.ABSENT) {
            return false; // nothing to delete where the key must not exist
        }
        return sessions.write("delete key " + key + " at version " + expectedVersion, s -> {
            PreparedStatement delete = s.prepare(MetadataSql.KV_DELETE);
            delete.setString(1, key);
            delete.setLong(2, expectedVersion);
            return delete.executeUpdate() == 1;
        });
    }

    private static void checkVersion(long expectedVersion) {
        if (expectedVersion < Versioned.ABSENT) {
            throw new IllegalArgumentException("expectedVersion must not be negative: " + expectedVersion);
        }
    }
}
