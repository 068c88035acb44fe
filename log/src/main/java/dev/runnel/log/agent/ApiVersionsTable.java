package dev.runnel.log.agent;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * The APIs an agent serves and the version range of each: from the oldest version kafka-clients
 * can still read to the newest the agent implements.
 */
final class ApiVersionsTable {
    private final Map<ApiKeys, Short> maxVersions = new EnumMap<>(ApiKeys.class);

    ApiVersionsTable add(ApiKeys api, int maxVersion) {
        if (maxVersion > api.latestVersion() || maxVersion < api.oldestVersion()) {
            throw new IllegalArgumentException(api + " max version " + maxVersion + " is outside what kafka-clients knows: "
                    + api.oldestVersion() + ".." + api.latestVersion());
        }
        maxVersions.put(api, (short) maxVersion);
        return this;
    }

    boolean supports(ApiKeys api, short version) {
        Short max = maxVersions.get(api);
        return max != null && version >= api.oldestVersion() && version <= max;
    }

    String describe(ApiKeys api) {
        Short max = maxVersions.get(api);
        return max == null ? "none" : api.oldestVersion() + ".." + max;
    }

    ApiVersionsResponseData.ApiVersionCollection toResponse() {
        ApiVersionsResponseData.ApiVersionCollection collection = new ApiVersionsResponseData.ApiVersionCollection();
        maxVersions.forEach((api, max) -> collection.add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(api.id).setMinVersion(api.oldestVersion()).setMaxVersion(max)));
        return collection;
    }
}
