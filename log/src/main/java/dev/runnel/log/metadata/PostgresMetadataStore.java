package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.apache.kafka.common.utils.Time;

/**
 * The metadata store in a PostgreSQL database, shared by every process of a cluster. Its tables
 * go in the connection's current schema (the URL's {@code currentSchema}, else {@code public}),
 * created on first open. See {@link PostgresDialect} for how concurrent writers are kept apart.
 */
public final class PostgresMetadataStore extends JdbcMetadataStore {

    private static final String URL_PREFIX = "jdbc:postgresql:";
    private static final int READ_CONNECTIONS = 4;
    /**
     * How long a statement waits for a lock another client holds before failing (retriably), as
     * SQLite's busy timeout does: a process that stalls inside a transaction must not stop every
     * other writer of its partitions for longer.
     */
    private static final int LOCK_TIMEOUT_MILLIS = 10_000;

    private PostgresMetadataStore(String jdbcUrl, Properties properties, Time time) {
        super(PostgresDialect.INSTANCE, time, forWrites -> connect(jdbcUrl, properties), READ_CONNECTIONS,
                withoutParameters(jdbcUrl));
    }

    /**
     * Connects to the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}),
     * creating the schema if it does not exist or upgrading an older one.
     *
     * @param user     the user to log in as, or null or empty to take it from the URL
     * @param password the user's password, or null or empty to take it from the URL (or none)
     */
    public static PostgresMetadataStore open(String jdbcUrl, String user, String password, Time time) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(URL_PREFIX)) {
            throw new IllegalArgumentException("PostgreSQL JDBC URL must start with " + URL_PREFIX
                    + " (for example jdbc:postgresql://localhost:5432/runnel): " + withoutParameters(jdbcUrl));
        }
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "runnel");
        if (user != null && !user.isEmpty()) {
            properties.setProperty("user", user);
        }
        if (password != null && !password.isEmpty()) {
            properties.setProperty("password", password);
        }
        return new PostgresMetadataStore(jdbcUrl, properties, time);
    }

    private static Connection connect(String jdbcUrl, Properties properties) throws SQLException {
        Connection connection = DriverManager.getConnection(jdbcUrl, properties);
        try (Statement statement = connection.createStatement()) {
            // The dialect's locking is designed for READ COMMITTED, whatever the server's default.
            // One round trip for both settings.
            statement.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED; "
                    + "SET lock_timeout = " + LOCK_TIMEOUT_MILLIS);
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** The URL for messages and logs: its parameters may hold a password. */
    private static String withoutParameters(String jdbcUrl) {
        if (jdbcUrl == null) {
            return "null";
        }
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    }
}
