package dev.runnel.log.agent;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.Topic;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.common.Uuid;

/**
 * Topic lookups for the request path, cached for a second so that produce and fetch do not ask
 * the metadata store on every request. A topic created or deleted through another agent is
 * seen here within that second; one created or deleted through this agent at once.
 */
final class TopicResolver {
    private static final Duration TTL = Duration.ofSeconds(1);

    private final MetadataStore metadata;
    private final Cache<String, Optional<Topic>> byName = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(100_000).build();
    private final Cache<Uuid, Optional<Topic>> byId = Caffeine.newBuilder().expireAfterWrite(TTL).maximumSize(100_000).build();

    TopicResolver(MetadataStore metadata) {
        this.metadata = metadata;
    }

    Optional<Topic> byName(String name) {
        return byName.get(name, metadata::topic);
    }

    Optional<Topic> byId(Uuid id) {
        return byId.get(id, metadata::topic);
    }

    /** Forgets what this agent knew of a topic it just created or deleted. */
    void invalidate(Topic topic) {
        byName.invalidate(topic.name());
        byId.invalidate(topic.id());
    }

    void invalidate(String name) {
        byName.invalidate(name);
        byId.invalidateAll();
    }
}
