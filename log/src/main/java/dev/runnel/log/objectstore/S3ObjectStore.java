package dev.runnel.log.objectstore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link ObjectStore} on S3 or any S3-compatible service, through the AWS SDK v2
 * <em>asynchronous</em> client on the Netty NIO HTTP client.
 *
 * <p><b>Why async.</b> S3 requests take tens of milliseconds each and an agent keeps many in
 * flight at once (one PUT per flush, many ranged GETs per fetch). The async client multiplexes
 * them over a small Netty event-loop group instead of parking a thread per request, and its
 * futures map directly onto the {@link ObjectStore} contract. Completions run on the SDK's
 * future-completion executor, not on the event loop, so callers may chain blocking work.
 *
 * <p><b>Mapping.</b> Every key gets {@link S3Config#prefix()} prepended (and stripped again
 * from {@link #list} results). A ranged get sends {@code Range: bytes=a-b}; like
 * {@link FileSystemObjectStore}, a range running past the end is a short read, and one
 * starting at or past the end (HTTP 416) yields an empty buffer. A missing key ({@code
 * NoSuchKey}, or a 404 other than {@code NoSuchBucket}) completes the future with
 * {@link ObjectNotFoundException}. Deleting a missing key succeeds, as S3 itself does. A put
 * is a single PutObject: S3 makes it atomic and durable on success.
 */
public final class S3ObjectStore implements ObjectStore {

    /** S3's own maximum page size for ListObjectsV2. */
    static final int DEFAULT_LIST_PAGE_SIZE = 1000;

    private final S3AsyncClient client;
    private final String bucket;
    private final String prefix;
    private final int listPageSize;

    public S3ObjectStore(S3Config config) {
        this(config, DEFAULT_LIST_PAGE_SIZE);
    }

    /** For tests: a small {@code listPageSize} exercises pagination. */
    S3ObjectStore(S3Config config, int listPageSize) {
        Objects.requireNonNull(config, "config");
        if (listPageSize < 1) {
            throw new IllegalArgumentException("listPageSize must be at least 1");
        }
        this.client = buildClient(config);
        this.bucket = config.bucket();
        this.prefix = config.prefix();
        this.listPageSize = listPageSize;
    }

    private static S3AsyncClient buildClient(S3Config config) {
        AwsCredentialsProvider credentials = config.hasStaticCredentials()
                ? StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(), config.secretKey()))
                : DefaultCredentialsProvider.builder().build();
        S3AsyncClientBuilder builder = S3AsyncClient.builder()
                .httpClientBuilder(NettyNioAsyncHttpClient.builder())
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(config.pathStyle());
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    @Override
    public CompletableFuture<Void> put(String key, ByteBuffer content) {
        try {
            Objects.requireNonNull(content, "content");
            // slice(): fromByteBuffer copies from index 0, and must not move the caller's position.
            AsyncRequestBody body = AsyncRequestBody.fromByteBuffer(content.slice());
            return mapErrors(key, client.putObject(
                    b -> b.bucket(bucket).key(fullKey(key)).contentLength((long) content.remaining())
                            .contentType("application/octet-stream"),
                    body), response -> null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key, long position, int length) {
        try {
            if (position < 0 || length < 0) {
                throw new IllegalArgumentException(
                        "position and length must not be negative: " + position + ", " + length);
            }
            String fullKey = fullKey(key);
            if (length == 0) {
                // An empty Range is not expressible; still report a missing key as missing.
                return mapErrors(key, client.headObject(b -> b.bucket(bucket).key(fullKey)),
                        head -> ByteBuffer.allocate(0));
            }
            long last = position + length - 1;
            GetObjectRequest request = GetObjectRequest.builder()
                    .bucket(bucket).key(fullKey).range("bytes=" + position + "-" + last).build();
            CompletableFuture<ByteBuffer> result = new CompletableFuture<>();
            client.getObject(request, AsyncResponseTransformer.toBytes()).whenComplete((bytes, error) -> {
                if (error == null) {
                    try {
                        result.complete(rangeOf(bytes, position, length));
                    } catch (RuntimeException e) {
                        result.completeExceptionally(e);
                    }
                    return;
                }
                Throwable cause = unwrap(error);
                if (cause instanceof S3Exception s3 && s3.statusCode() == 416) {
                    result.complete(ByteBuffer.allocate(0)); // range starts at or past the end
                } else {
                    result.completeExceptionally(mapError(key, cause));
                }
            });
            return result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<ByteBuffer> get(String key) {
        try {
            GetObjectRequest request = GetObjectRequest.builder().bucket(bucket).key(fullKey(key)).build();
            return mapErrors(key, client.getObject(request, AsyncResponseTransformer.toBytes()),
                    bytes -> ByteBuffer.wrap(bytes.asByteArrayUnsafe()));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Void> delete(String key) {
        try {
            CompletableFuture<Void> result = new CompletableFuture<>();
            client.deleteObject(b -> b.bucket(bucket).key(fullKey(key))).whenComplete((response, error) -> {
                Throwable cause = error == null ? null : mapError(key, unwrap(error));
                if (cause == null || cause instanceof ObjectNotFoundException) {
                    result.complete(null); // S3 answers 204 for a missing key; some clones 404
                } else {
                    result.completeExceptionally(cause);
                }
            });
            return result;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<List<String>> list(String keyPrefix) {
        try {
            Objects.requireNonNull(keyPrefix, "prefix");
            List<String> keys = new ArrayList<>();
            return mapErrors(keyPrefix, listPage(prefix + keyPrefix, null, keys), done -> {
                Collections.sort(keys); // S3 sorts by UTF-8 bytes; the contract says String order
                return keys;
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<Void> listPage(String fullPrefix, String continuationToken, List<String> into) {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(bucket).prefix(fullPrefix).maxKeys(listPageSize);
        if (continuationToken != null) {
            request.continuationToken(continuationToken);
        }
        return client.listObjectsV2(request.build()).thenCompose(response -> {
            for (S3Object object : response.contents()) {
                into.add(object.key().substring(prefix.length()));
            }
            return nextPage(fullPrefix, response, into);
        });
    }

    private CompletableFuture<Void> nextPage(String fullPrefix, ListObjectsV2Response response, List<String> into) {
        String token = response.nextContinuationToken();
        if (Boolean.TRUE.equals(response.isTruncated()) && token != null && !token.isEmpty()) {
            return listPage(fullPrefix, token, into);
        }
        return CompletableFuture.completedFuture(null);
    }

    /** Closes the SDK client and its Netty event loops. */
    @Override
    public void close() {
        client.close();
    }

    @Override
    public String toString() {
        return "S3ObjectStore[s3://" + bucket + "/" + prefix + "]";
    }

    // ---------------------------------------------------------------------------------------

    private String fullKey(String key) {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
            throw new IllegalArgumentException("object key must not be empty");
        }
        return prefix + key;
    }

    private static ByteBuffer rangeOf(ResponseBytes<GetObjectResponse> bytes, long position, int length) {
        byte[] array = bytes.asByteArrayUnsafe(); // ours alone: no copy, and a writable buffer
        if (array.length <= length || bytes.response().contentRange() != null) {
            return ByteBuffer.wrap(array);
        }
        // The server ignored the Range header and sent the whole object.
        if (position >= array.length) {
            return ByteBuffer.allocate(0);
        }
        int from = (int) position;
        int to = (int) Math.min(array.length, position + length);
        return ByteBuffer.wrap(array, from, to - from).slice();
    }

    /**
     * Completes with {@code onSuccess} of the SDK's result, or with the unwrapped, mapped cause
     * of its failure: callers see {@link ObjectNotFoundException} itself, never wrapped in a
     * {@link CompletionException}, as with {@link FileSystemObjectStore}.
     */
    private static <T, R> CompletableFuture<R> mapErrors(
            String key, CompletableFuture<T> sdkFuture, Function<? super T, ? extends R> onSuccess) {
        CompletableFuture<R> result = new CompletableFuture<>();
        sdkFuture.whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(mapError(key, unwrap(error)));
                return;
            }
            try {
                result.complete(onSuccess.apply(value));
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static Throwable mapError(String key, Throwable cause) {
        if (cause instanceof NoSuchKeyException) {
            return notFound(key, cause);
        }
        if (cause instanceof S3Exception s3 && s3.statusCode() == 404) {
            String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
            if (!"NoSuchBucket".equals(code)) {
                return notFound(key, cause);
            }
        }
        return cause;
    }

    private static ObjectNotFoundException notFound(String key, Throwable cause) {
        ObjectNotFoundException e = new ObjectNotFoundException(key);
        e.initCause(cause);
        return e;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
