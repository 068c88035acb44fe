package dev.runnel.log.metadata;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of a {@link JdbcMetadataStore} and the transactions run on them. Writes go
 * through one connection under a lock, each in its own transaction; reads use a small pool of
 * other connections so they do not wait behind a commit's fsync.
 */
final class JdbcSessions {

    private static final Logger log = LoggerFactory.getLogger(JdbcSessions.class);

    /** Attempts at a write transaction that keeps losing races with other clients of the database. */
    static final int MAX_WRITE_ATTEMPTS = 8;
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    /** Opens a new connection to the database, for the writes or for the reads. */
    @FunctionalInterface
    interface ConnectionFactory {
        Connection open(boolean forWrites) throws SQLException;
    }

    /** Work on one session, inside a transaction for a write. */
    @FunctionalInterface
    interface Work<T> {
        T run(Session session) throws SQLException;
    }

    private final SqlDialect dialect;
    private final ConnectionFactory connections;
    private final String description;

    private final ReentrantLock writeLock = new ReentrantLock();
    private Session writer; // guarded by writeLock; null after a failed rollback until reopened
    private final int readConnections;
    private final BlockingQueue<Session> readers; // the idle ones
    private final List<Session> allReaders = new ArrayList<>(); // guarded by itself
    private volatile boolean closed;

    /**
     * Opens the write connection and creates the schema with it. Up to {@code readConnections}
     * readers open as concurrent reads need them: a database server counts every process's idle
     * connections against its limit.
     */
    JdbcSessions(SqlDialect dialect, ConnectionFactory connections, int readConnections, String description,
                 Work<?> createSchema) {
        this.dialect = dialect;
        this.connections = connections;
        this.description = description;
        this.readConnections = readConnections;
        this.readers = new ArrayBlockingQueue<>(readConnections);
        try {
            writer = new Session(connections.open(true));
            write("create the schema of " + description, createSchema);
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new MetadataStoreException("Failed to open the metadata store " + description, e);
        }
    }

    /**
     * Runs {@code work} in one write transaction; on any failure it is rolled back and nothing of it
     * remains. A transaction that lost a race with another database client ({@link SqlDialect#isRetriable})
     * runs again from the start, so {@code work} must read everything it decides on inside it.
     */
    <T> T write(String what, Work<T> work) {
        writeLock.lock();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    return writeOnce(what, work);
                } catch (SQLException e) {
                    if (attempt >= MAX_WRITE_ATTEMPTS || !dialect.isRetriable(e)) {
                        throw new MetadataStoreException("Failed to " + what + " in " + description + ": "
                                + e.getMessage(), e);
                    }
                    log.debug("Retrying to {} in {} after: {}", what, description, e.getMessage());
                    backOff(attempt, what, e);
                }
            }
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T writeOnce(String what, Work<T> work) throws SQLException {
        checkOpen();
        if (writer == null) {
            writer = new Session(connections.open(true));
        }
        Session s = writer;
        dialect.beginWrite(s.connection);
        try {
            T result = work.run(s);
            dialect.commit(s.connection);
            return result;
        } catch (SQLException | RuntimeException | Error e) {
            rollback(s, what);
            throw e;
        }
    }

    /** A short random pause, longer with every attempt, so that the transactions that collided do not collide again. */
    private void backOff(int attempt, String what, SQLException cause) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L * attempt + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataStoreException("Interrupted retrying to " + what + " in " + description, cause);
        }
    }

    private void rollback(Session s, String what) {
        try {
            dialect.rollback(s.connection);
        } catch (SQLException e) {
            // The database may have rolled back on its own; if not, this connection can no longer
            // be trusted to be outside a transaction, so it is replaced.
            log.warn("Rolling back after failing to {} in {} failed; reopening the write connection", what,
                    description, e);
            s.close();
            writer = null;
        }
    }

    /**
     * Runs {@code work} on a reader from the pool, waiting for one if all are in use. If the reader's
     * connection turns out to be dead (the database restarted or dropped it), it is replaced and
     * {@code work} runs once more on the new one: a read changes nothing, so it is safe to repeat.
     */
    <T> T read(String what, Work<T> work) {
        checkOpen();
        Session s = takeReader(what);
        try {
            checkOpen();
            try {
                return work.run(s);
            } catch (SQLException e) {
                Session replacement = replaceIfDead(s);
                if (replacement == s) {
                    throw e;
                }
                s = replacement;
                return work.run(s);
            }
        } catch (SQLException e) {
            throw new MetadataStoreException("Failed to " + what + " in " + description + ": " + e.getMessage(), e);
        } finally {
            readers.add(s);
        }
    }

    /** An idle reader, else a new one if there are fewer than {@code readConnections}, else the next to be idle. */
    private Session takeReader(String what) {
        Session s = readers.poll();
        if (s != null) {
            return s;
        }
        synchronized (allReaders) {
            if (allReaders.size() < readConnections) {
                checkOpen();
                try {
                    s = new Session(connections.open(false));
                } catch (SQLException e) {
                    throw new MetadataStoreException("Failed to open a read connection to " + description
                            + " to " + what + ": " + e.getMessage(), e);
                }
                allReaders.add(s);
                return s;
            }
        }
        try {
            return readers.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataStoreException("Interrupted waiting to " + what, e);
        }
    }

    /** A new reader in place of {@code s} if its connection is dead and a new one opens; else {@code s}. */
    private Session replaceIfDead(Session s) {
        try {
            if (s.connection.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                return s;
            }
        } catch (SQLException e) {
            // Only a negative timeout makes isValid throw.
        }
        Session replacement;
        try {
            replacement = new Session(connections.open(false));
        } catch (SQLException e) {
            log.warn("Reopening a dead read connection to {} failed", description, e);
            return s;
        }
        synchronized (allReaders) {
            if (closed) {
                replacement.close();
                return s;
            }
            allReaders.set(allReaders.indexOf(s), replacement);
        }
        s.close();
        log.info("Replaced a dead read connection to {}", description);
        return replacement;
    }

    private void checkOpen() {
        if (closed) {
            throw new MetadataStoreException("The metadata store " + description + " is closed", null);
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            closeQuietly();
        } finally {
            writeLock.unlock();
        }
    }

    private void closeQuietly() {
        if (writer != null) {
            writer.close();
            writer = null;
        }
        // A reader in use finishes its statement on a closed connection and fails; that is fine.
        synchronized (allReaders) {
            for (Session reader : allReaders) {
                reader.close();
            }
        }
    }
}
