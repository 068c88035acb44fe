package dev.runnel.log.objectstore;

import java.net.URI;

/**
 * Where and how {@link S3ObjectStore} reaches its bucket.
 *
 * @param bucket    the bucket; must already exist
 * @param prefix    prepended to every key, so several clusters can share a bucket; {@code null}
 *                  or empty for none. A non-empty prefix without a trailing {@code /} gets one,
 *                  so {@code "runnel"} stores key {@code k} as {@code runnel/k}
 * @param region    the signing region, e.g. {@code us-east-1}
 * @param endpoint  an endpoint override (MinIO, S3Proxy, R2, ...); {@code null} for AWS
 * @param pathStyle address the bucket as {@code endpoint/bucket} instead of
 *                  {@code bucket.endpoint}; most S3-compatible stores need it
 * @param accessKey static access key, or {@code null}/blank: with both keys the store uses
 *                  them, with neither the default AWS credentials chain; one alone is an error
 * @param secretKey static secret key, or {@code null}/blank (see {@code accessKey})
 */
public record S3Config(
        String bucket,
        String prefix,
        String region,
        URI endpoint,
        boolean pathStyle,
        String accessKey,
        String secretKey) {

    public S3Config {
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("bucket must not be blank");
        }
        if (bucket.length() < 3) {
            throw new IllegalArgumentException("bucket must be at least 3 characters: '" + bucket + "'");
        }
        if (region == null || region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        accessKey = blankToNull(accessKey);
        secretKey = blankToNull(secretKey);
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("accessKey and secretKey must be given together");
        }
        prefix = normalizePrefix(prefix);
    }

    /** Whether static credentials were given (else the default AWS credentials chain is used). */
    public boolean hasStaticCredentials() {
        return accessKey != null && secretKey != null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String normalizePrefix(String prefix) {
        if (prefix == null) {
            return "";
        }
        String p = prefix;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        if (!p.isEmpty() && !p.endsWith("/")) {
            p = p + "/";
        }
        return p;
    }

    /** Hides the secret key. */
    @Override
    public String toString() {
        return "S3Config[bucket=" + bucket + ", prefix=" + prefix + ", region=" + region
                + ", endpoint=" + endpoint + ", pathStyle=" + pathStyle
                + ", accessKey=" + accessKey + ", secretKey=" + (secretKey == null ? null : "****") + "]";
    }
}
