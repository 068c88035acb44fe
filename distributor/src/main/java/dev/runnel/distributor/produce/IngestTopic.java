package dev.runnel.distributor.produce;

import dev.runnel.server.zone.ClientZones;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes sure the ingest topic exists before anything produces to it: a producer's metadata
 * request would otherwise let the log auto-create it with the log's default partition count.
 */
public final class IngestTopic {

    private IngestTopic() {
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions unless it exists, and returns its
     * partition count.
     *
     * @param zone the distributor's zone, told to the log in the client id ({@link ClientZones})
     * @throws RecordWriteException if the log does not answer within {@code timeout}
     */
    public static int ensure(String address, String topic, int partitions, Duration timeout, String zone) {
        int timeoutMs = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, address,
                AdminClientConfig.CLIENT_ID_CONFIG, ClientZones.clientId("runnel-distributor-admin", zone),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(partitions), Optional.empty())))
                        .all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return admin.describeTopics(List.of(topic)).allTopicNames().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                    .get(topic).partitions().size();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw new RecordWriteException(cause.getClass().getSimpleName(), cause instanceof RetriableException,
                    "cannot create or describe topic " + topic + " at " + address + ": " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new RecordWriteException("TimeoutException", true,
                    "the log at " + address + " did not answer within " + timeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RecordWriteException("InterruptedException", false, "interrupted while creating topic " + topic, e);
        }
    }
}
