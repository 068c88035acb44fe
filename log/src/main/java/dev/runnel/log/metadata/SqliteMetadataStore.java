package dev.runnel.log.metadata;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.kafka.common.utils.Time;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The embedded metadata store: one SQLite file, in WAL mode with {@code synchronous=FULL}, so a
 * returned commit survives a crash of the process or the machine (or, opened without fsync,
 * a crash of the process only). Several processes may open
 * the same file; a writer waits for another's write lock up to {@link #BUSY_TIMEOUT_MILLIS}.
 */
public final class SqliteMetadataStore extends JdbcMetadataStore {

    static final int BUSY_TIMEOUT_MILLIS = 10_000;
    private static final int READ_CONNECTIONS = 4;
    /**
     * Pages of WAL after which a commit checkpoints it into the database file (SQLite's default is
     * 1000). A commit that touches 1000 partitions dirties about one index page per partition, so
     * the default would checkpoint after every such commit; at 10000 (40 MB of 4 KB pages) pages
     * rewritten by successive commits are copied once per checkpoint, not once per commit.
     */
    private static final int WAL_AUTOCHECKPOINT_PAGES = 10_000;
    /**
     * Page cache of the write connection, in KiB: large enough for the index pages a wide commit
     * touches (SQLite's default is 2 MB). Allocated only as used. Readers keep the default: SQLite
     * drops a connection's cache whenever another connection has written.
     */
    private static final int WRITER_CACHE_KIB = 64 * 1024;

    private SqliteMetadataStore(Path file, Time time, boolean fsync) {
        super(SqliteDialect.INSTANCE, time, forWrites -> connect(file, forWrites, fsync), READ_CONNECTIONS,
                file.toString());
    }

    /** Opens the store in {@code file}, creating the file and its schema if they do not exist. */
    public static SqliteMetadataStore open(Path file, Time time) {
        return open(file, time, true);
    }

    /**
     * Opens the store; with {@code fsync} off a commit is durable against a crash of the process
     * but not of the machine (WAL with {@code synchronous=NORMAL}), as a Kafka broker's defaults are.
     */
    public static SqliteMetadataStore open(Path file, Time time, boolean fsync) {
        return new SqliteMetadataStore(file.toAbsolutePath(), time, fsync);
    }

    /**
     * Opens a connection, retrying while another process holds the lock: switching a new file to
     * WAL mode needs an exclusive lock and fails with SQLITE_BUSY at once instead of waiting.
     */
    static Connection connect(Path file, boolean forWrites, boolean fsync) throws SQLException {
        long deadline = System.nanoTime() + BUSY_TIMEOUT_MILLIS * 1_000_000L;
        while (true) {
            try {
                return connectOnce(file, forWrites, fsync);
            } catch (SQLiteException e) {
                if (e.getResultCode() != SQLiteErrorCode.SQLITE_BUSY || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static Connection connectOnce(Path file, boolean forWrites, boolean fsync) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(fsync ? SQLiteConfig.SynchronousMode.FULL : SQLiteConfig.SynchronousMode.NORMAL);
        if (forWrites) {
            config.setCacheSize(-WRITER_CACHE_KIB);
        }
        Connection connection = config.createConnection("jdbc:sqlite:" + file);
        try (Statement statement = connection.createStatement()) {
            statement.executeQuery("PRAGMA wal_autocheckpoint = " + WAL_AUTOCHECKPOINT_PAGES).close();
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
