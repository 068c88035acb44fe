package dev.runnel.ingester.snapshot;

import dev.runnel.log.objectstore.ObjectStore;
import dev.runnel.log.objectstore.S3ObjectStore;
import dev.runnel.log.objectstore.S3ProxyServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The snapshot store's tests against a real S3 protocol server (S3Proxy), under a key prefix as a deployment would use. */
class SnapshotStoreS3IT extends SnapshotStoreTest {
    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    @Override
    protected ObjectStore createStore(Path dir) {
        return new S3ObjectStore(s3.config(s3.newBucket(), "cluster-1"));
    }
}
