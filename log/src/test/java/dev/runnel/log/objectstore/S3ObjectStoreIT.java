package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.gaul.s3proxy.S3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The {@link ObjectStore} contract against a real S3 protocol server: S3Proxy, in process, on
 * 127.0.0.1, with an in-memory blob store and AWS signature checking on.
 */
class S3ObjectStoreIT extends ObjectStoreContractTest {

    private static S3ProxyServer s3;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        s3 = S3ProxyServer.start();
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (s3 != null) {
            s3.close();
        }
    }

    static String newBucket() {
        return s3.newBucket();
    }

    static S3Config config(String bucket, String prefix) {
        return s3.config(bucket, prefix);
    }

    @Override
    protected ObjectStore createStore() {
        return new S3ObjectStore(config(newBucket(), null));
    }

    /** The whole contract again, through a key prefix. */
    @Nested
    class WithPrefix extends ObjectStoreContractTest {
        @Override
        protected ObjectStore createStore() {
            return new S3ObjectStore(config(newBucket(), "cluster-1/log"));
        }
    }

    @Test
    void prefixIsPrependedToEveryKeyAndStrippedFromListings() {
        String bucket = newBucket();
        try (S3ObjectStore a = new S3ObjectStore(config(bucket, "tenant-a"));
                S3ObjectStore b = new S3ObjectStore(config(bucket, "/tenant-b/"))) {
            await(a.put("seg/1", ByteBuffer.wrap(randomBytes(10, 1))));
            await(b.put("seg/2", ByteBuffer.wrap(randomBytes(20, 2))));

            assertThat(rawKeys(bucket)).containsExactly("tenant-a/seg/1", "tenant-b/seg/2");
            assertThat(await(a.list(""))).containsExactly("seg/1");
            assertThat(await(a.list("seg/"))).containsExactly("seg/1");
            assertThat(await(b.list(""))).containsExactly("seg/2");
            assertNotFound(a.get("seg/2"));
            assertThat(await(b.get("seg/2")).remaining()).isEqualTo(20);

            await(a.delete("seg/1"));
            assertThat(rawKeys(bucket)).containsExactly("tenant-b/seg/2");
        }
    }

    @Test
    void aMissingKeyIsA404MappedToObjectNotFound() {
        assertThat(store.get("nope")).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(ObjectNotFoundException.class)
                .withMessageContaining("nope")
                .havingCause()
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(404));
    }

    @Test
    void aMissingBucketIsAnErrorNotAMissingObject() {
        try (S3ObjectStore orphan = new S3ObjectStore(config("no-such-bucket", null))) {
            assertThat(orphan.get("k")).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause()
                    .isInstanceOf(S3Exception.class)
                    .isNotInstanceOf(ObjectNotFoundException.class);
            assertThat(orphan.list("")).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .withCauseInstanceOf(S3Exception.class);
        }
    }

    @Test
    void listFollowsContinuationTokensAcrossPages() {
        String bucket = newBucket();
        try (S3ObjectStore paged = new S3ObjectStore(config(bucket, "p"), 2)) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                String key = "obj-" + i;
                expected.add(key);
                await(paged.put(key, ByteBuffer.wrap(new byte[] {(byte) i})));
            }
            await(paged.put("other", ByteBuffer.wrap(new byte[1])));

            assertThat(await(paged.list("obj-"))).containsExactlyElementsOf(expected);
            assertThat(await(paged.list(""))).hasSize(8).isSorted();
        }
    }

    @Test
    void wrongCredentialsFail() {
        S3Config wrong = new S3Config(newBucket(), null, S3ProxyServer.REGION, s3.endpoint(), true, S3ProxyServer.ACCESS_KEY, "not-the-secret");
        // A request without a body: S3Proxy refuses a PUT's credentials before reading its body and
        // may close the connection instead of answering, which the client sees as a broken connection.
        try (S3ObjectStore s = new S3ObjectStore(wrong)) {
            assertThat(s.list("")).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    private static List<String> rawKeys(String bucket) {
        return s3.rawKeys(bucket);
    }
}
