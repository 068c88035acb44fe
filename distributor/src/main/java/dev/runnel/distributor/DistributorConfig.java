package dev.runnel.distributor;

import dev.runnel.server.zone.ClientZones;
import java.time.Duration;

/**
 * How a distributor reaches the log and what it accepts.
 *
 * @param kafkaAddress        bootstrap address of the log (host:port[,host:port])
 * @param topic               the ingest topic
 * @param topicPartitions     partitions of the ingest topic when the distributor creates it
 * @param remoteTimeout       how long a request waits for the log to acknowledge its records
 * @param maxRecvMsgSize      largest request body, compressed or not
 * @param maxRecordBytes      largest record value; a partition's series are split over records of at most this size
 * @param multitenancyEnabled whether {@code X-Scope-OrgID} names the tenant (else every request is {@code anonymous})
 * @param zone                the distributor's zone, told to the log in its producer's client id (empty: not told)
 */
public record DistributorConfig(String kafkaAddress, String topic, int topicPartitions, Duration remoteTimeout,
                                int maxRecvMsgSize, int maxRecordBytes, boolean multitenancyEnabled, String zone) {

    public DistributorConfig {
        if (kafkaAddress.isBlank()) {
            throw new IllegalArgumentException("kafkaAddress must not be empty");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException("topic must not be empty");
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("topicPartitions must be at least 1: " + topicPartitions);
        }
        if (remoteTimeout.isNegative() || remoteTimeout.isZero()) {
            throw new IllegalArgumentException("remoteTimeout must be positive: " + remoteTimeout);
        }
        if (maxRecvMsgSize < 1) {
            throw new IllegalArgumentException("maxRecvMsgSize must be positive: " + maxRecvMsgSize);
        }
        if (maxRecordBytes < 1024) {
            throw new IllegalArgumentException("maxRecordBytes must be at least 1024: " + maxRecordBytes);
        }
        ClientZones.clientId("", zone); // checks it
    }
}
