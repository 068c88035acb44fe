package dev.runnel.distributor.remotewrite;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.runnel.distributor.write.WriteBatch;

/** The two remote write protocols, with the message each sends and the status that acknowledges it. */
public enum RemoteWriteVersion {
    /** Remote write 1.0: {@code prometheus.WriteRequest}, answered 200 as Mimir does. */
    V1("rw1", "prometheus.WriteRequest", 200),
    /** Remote write 2.0: {@code io.prometheus.write.v2.Request}, answered 204 as the specification asks. */
    V2("rw2", "io.prometheus.write.v2.Request", 204);

    private final String label;
    private final String message;
    private final int successStatus;

    RemoteWriteVersion(String label, String message, int successStatus) {
        this.label = label;
        this.message = message;
        this.successStatus = successStatus;
    }

    /** Short name for metric labels. */
    public String label() {
        return label;
    }

    /** The fully qualified protobuf message name, as in Content-Type's {@code proto} parameter. */
    public String message() {
        return message;
    }

    public int successStatus() {
        return successStatus;
    }

    public WriteBatch decode(byte[] body) throws InvalidProtocolBufferException {
        return this == V1 ? RemoteWrite1Decoder.decode(body) : RemoteWrite2Decoder.decode(body);
    }
}
