package dev.runnel.log.objectstore;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A real S3 protocol server for tests: S3Proxy, in process, on 127.0.0.1, with an in-memory blob
 * store and AWS signature checking on, plus an admin client for what the tests set up beside the
 * store under test (buckets, raw listings).
 */
public final class S3ProxyServer implements AutoCloseable {
    public static final String ACCESS_KEY = "runnel-access";
    public static final String SECRET_KEY = "runnel-secret";
    public static final String REGION = "us-east-1";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private final S3Proxy proxy;
    private final URI endpoint;
    private final S3AsyncClient admin;

    private S3ProxyServer(S3Proxy proxy, URI endpoint, S3AsyncClient admin) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.admin = admin;
    }

    public static S3ProxyServer start() throws Exception {
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(new TransientNio2BlobStore())
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!"STARTED".equals(proxy.getState()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (!"STARTED".equals(proxy.getState())) {
            proxy.stop();
            throw new IllegalStateException("S3Proxy did not start: " + proxy.getState());
        }
        URI endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
        S3AsyncClient admin = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .region(Region.of(REGION))
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .build();
        return new S3ProxyServer(proxy, endpoint, admin);
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A fresh, empty bucket. */
    public String newBucket() {
        String bucket = "runnel-it-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket)).join();
        return bucket;
    }

    /** Path-style access to {@code bucket} with the server's credentials; {@code prefix} may be null. */
    public S3Config config(String bucket, String prefix) {
        return new S3Config(bucket, prefix, REGION, endpoint, true, ACCESS_KEY, SECRET_KEY);
    }

    /** Every key in the bucket, as S3 lists it. */
    public List<String> rawKeys(String bucket) {
        CompletableFuture<List<String>> keys = admin.listObjectsV2(b -> b.bucket(bucket))
                .thenApply(r -> r.contents().stream().map(S3Object::key).toList());
        return keys.join();
    }

    @Override
    public void close() throws Exception {
        admin.close();
        proxy.stop();
    }
}
