package dev.runnel.log.objectstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The {@link ObjectStore} contract against a real S3 protocol server: S3Proxy, in process, on
 * 127.0.0.1, with an in-memory blob store and AWS signature checking on.
 */
class S3ObjectStoreIT extends ObjectStoreContractTest {

    private static final String ACCESS_KEY = "runnel-access";
    private static final String SECRET_KEY = "runnel-secret";
    private static final String REGION = "us-east-1";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private static S3Proxy proxy;
    private static URI endpoint;
    private static S3AsyncClient admin;

    @BeforeAll
    static void startS3Proxy() throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.getState()).isEqualTo("STARTED");
        endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        admin = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
    }

    @AfterAll
    static void stopS3Proxy() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (proxy != null) {
            proxy.stop();
        }
    }

    static String newBucket() {
        String bucket = "runnel-it-" + BUCKETS.incrementAndGet();
        await(admin.createBucket(b -> b.bucket(bucket)));
        return bucket;
    }

    static S3Config config(String bucket, String prefix) {
        return new S3Config(bucket, prefix, REGION, endpoint, true, ACCESS_KEY, SECRET_KEY);
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
        S3Config wrong = new S3Config(newBucket(), null, REGION, endpoint, true, ACCESS_KEY, "not-the-secret");
        // A request without a body: S3Proxy refuses a PUT's credentials before reading its body and
        // may close the connection instead of answering, which the client sees as a broken connection.
        try (S3ObjectStore s = new S3ObjectStore(wrong)) {
            assertThat(s.list("")).failsWithin(TIMEOUT)
                    .withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    private static List<String> rawKeys(String bucket) {
        return await(admin.listObjectsV2(b -> b.bucket(bucket))).contents().stream().map(S3Object::key).toList();
    }
}
