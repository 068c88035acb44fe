package dev.runnel.ring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ring as stored in the KV store: JSON, versioned, specified in {@code partition-ring/FORMAT.md}.
 * Written field by field rather than by reflection so that renaming a Java field cannot change
 * the format by accident.
 */
final class PartitionRingCodec {
    static final int VERSION = 2;
    /** Version 1 had no owner addresses; it is still read. */
    private static final int FIRST_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private PartitionRingCodec() {
    }

    static byte[] encode(PartitionRing ring) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("version", VERSION);
        ArrayNode partitions = root.putArray("partitions");
        for (Partition p : ring.partitions()) {
            ObjectNode partition = partitions.addObject();
            partition.put("id", p.id());
            partition.put("state", p.state().name());
            partition.put("stateChangedMs", p.stateChangedMs());
            ArrayNode owners = partition.putArray("owners");
            for (PartitionOwner o : p.owners()) {
                ObjectNode owner = owners.addObject();
                owner.put("ingesterId", o.ingesterId());
                owner.put("zone", o.zone());
                owner.put("state", o.state().name());
                owner.put("heartbeatMs", o.heartbeatMs());
                owner.put("address", o.address());
            }
        }
        try {
            return MAPPER.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the partition ring", e);
        }
    }

    /** @throws IllegalStateException if the value is not a ring this version can read */
    static PartitionRing decode(byte[] value) {
        JsonNode root;
        try {
            root = MAPPER.readTree(value);
        } catch (IOException e) {
            throw new IllegalStateException("partition ring value is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw malformed("the value is not a JSON object");
        }
        int version = required(root, "version", "the ring").asInt();
        if (version < FIRST_VERSION || version > VERSION) {
            throw new IllegalStateException("partition ring is encoded in version " + version
                    + ", this build reads versions " + FIRST_VERSION + " to " + VERSION + ": upgrade this process");
        }
        List<Partition> partitions = new ArrayList<>();
        for (JsonNode p : required(root, "partitions", "the ring")) {
            String where = "partition " + p.path("id").asText("?");
            List<PartitionOwner> owners = new ArrayList<>();
            for (JsonNode o : required(p, "owners", where)) {
                String ownerWhere = where + " owner " + o.path("ingesterId").asText("?");
                owners.add(new PartitionOwner(
                        required(o, "ingesterId", ownerWhere).asText(),
                        required(o, "zone", ownerWhere).asText(),
                        enumValue(OwnerState.class, required(o, "state", ownerWhere), ownerWhere),
                        required(o, "heartbeatMs", ownerWhere).asLong(),
                        o.path("address").asText("")));
            }
            partitions.add(new Partition(
                    required(p, "id", where).asInt(),
                    enumValue(PartitionState.class, required(p, "state", where), where),
                    required(p, "stateChangedMs", where).asLong(),
                    owners));
        }
        return PartitionRing.of(partitions);
    }

    private static JsonNode required(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw malformed(where + " has no \"" + field + "\"");
        }
        return value;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, JsonNode node, String where) {
        try {
            return Enum.valueOf(type, node.asText());
        } catch (IllegalArgumentException e) {
            throw malformed(where + " has an unknown state \"" + node.asText() + "\"");
        }
    }

    private static IllegalStateException malformed(String what) {
        return new IllegalStateException("partition ring value is malformed: " + what);
    }
}
