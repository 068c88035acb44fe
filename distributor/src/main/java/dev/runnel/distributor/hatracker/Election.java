package dev.runnel.distributor.hatracker;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * The replica elected for one (tenant, cluster), as stored under {@code ha/<tenant>/<cluster>}:
 * JSON {@code {"replica":"r1","received_at":…,"elected_at":…,"elected_changes":…}}, times in
 * Unix milliseconds. {@code received_at} is when a distributor last wrote that the elected
 * replica still sends; the others fail over once it is older than the failover timeout.
 */
record Election(
        @JsonProperty("replica") String replica,
        @JsonProperty("received_at") long receivedAt,
        @JsonProperty("elected_at") long electedAt,
        @JsonProperty("elected_changes") long electedChanges) {

    /** Ignores fields it does not know, so a newer distributor may add some. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + this, e);
        }
    }

    /** @throws IllegalArgumentException if the bytes are not an election */
    static Election fromJson(byte[] json) {
        try {
            Election e = JSON.readValue(json, Election.class);
            if (e.replica() == null || e.replica().isEmpty()) {
                throw new IllegalArgumentException("an HA election without a replica");
            }
            return e;
        } catch (IOException e) {
            throw new IllegalArgumentException("not an HA election: " + e.getMessage(), e);
        }
    }
}
