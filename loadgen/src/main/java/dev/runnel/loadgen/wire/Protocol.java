package dev.runnel.loadgen.wire;

/** The remote-write protocol versions, with the headers Prometheus sends for each. */
public enum Protocol {
    /** Remote write 1.0: {@code prometheus.WriteRequest}. */
    RW1("application/x-protobuf", "0.1.0"),
    /** Remote write 2.0: {@code io.prometheus.write.v2.Request} with a symbol table. */
    RW2("application/x-protobuf;proto=io.prometheus.write.v2.Request", "2.0.0");

    private final String contentType;
    private final String version;

    Protocol(String contentType, String version) {
        this.contentType = contentType;
        this.version = version;
    }

    public String contentType() {
        return contentType;
    }

    /** The value of {@code X-Prometheus-Remote-Write-Version}. */
    public String version() {
        return version;
    }

    /** A new encoder (not thread-safe: one per shard). */
    public RequestEncoder newEncoder() {
        return this == RW1 ? new Rw1Encoder() : new Rw2Encoder();
    }
}
