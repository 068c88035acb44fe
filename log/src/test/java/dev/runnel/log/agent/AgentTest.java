package dev.runnel.log.agent;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Integration tests against one real agent over fresh filesystem and SQLite stores in a temp dir. */
abstract class AgentTest {
    @TempDir
    Path dir;
    AgentCluster cluster;
    KafkaAgent agent;

    @BeforeEach
    void startAgent() {
        cluster = new AgentCluster(dir);
        agent = cluster.startAgent();
    }

    @AfterEach
    void stopAgents() {
        cluster.close();
    }
}
