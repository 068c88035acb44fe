package dev.runnel.log.group;

import dev.runnel.log.metadata.MetadataStore;
import dev.runnel.log.metadata.MetadataStoreException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroup;
import org.apache.kafka.common.message.DescribeGroupsResponseData.DescribedGroupMember;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

/**
 * DescribeGroups and ListGroups: what the groups in memory look like, plus the groups that exist
 * only through their committed offsets in the store (reported Empty, without a protocol type, as
 * Kafka reports a group whose members have all gone).
 */
final class GroupViews {
    /** The only group type this coordinator runs. */
    static final String GROUP_TYPE = "classic";

    private final MetadataStore store;
    private final Function<String, ClassicGroup> group;
    private final Supplier<Collection<ClassicGroup>> groups;

    GroupViews(MetadataStore store, Function<String, ClassicGroup> group, Supplier<Collection<ClassicGroup>> groups) {
        this.store = store;
        this.group = group;
        this.groups = groups;
    }

    DescribeGroupsResponseData describe(DescribeGroupsRequestData request, short version) {
        DescribeGroupsResponseData response = new DescribeGroupsResponseData();
        for (String groupId : request.groups()) {
            response.groups().add(describe(groupId, version));
        }
        return response;
    }

    private DescribedGroup describe(String groupId, short version) {
        DescribedGroup described = new DescribedGroup().setGroupId(groupId);
        if (!GroupCoordinator.isValidGroupId(groupId)) {
            return described.setErrorCode(Errors.INVALID_GROUP_ID.code());
        }
        ClassicGroup inMemory = group.apply(groupId);
        if (inMemory != null) {
            synchronized (inMemory) {
                if (!inMemory.is(GroupState.DEAD)) {
                    return describe(inMemory, described);
                }
            }
        }
        boolean hasOffsets;
        try {
            hasOffsets = !store.committedOffsets(groupId).isEmpty();
        } catch (MetadataStoreException e) {
            return described.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        if (hasOffsets) {
            return described.setGroupState(GroupState.EMPTY.wireName()).setProtocolType("");
        }
        described.setGroupState(GroupState.DEAD.wireName()).setProtocolType("");
        if (version >= 6) {
            described.setErrorCode(Errors.GROUP_ID_NOT_FOUND.code())
                    .setErrorMessage("Group " + groupId + " not found.");
        }
        return described;
    }

    /** Member metadata and the protocol are only shown while Stable, as Kafka does. */
    private static DescribedGroup describe(ClassicGroup group, DescribedGroup described) {
        boolean stable = group.is(GroupState.STABLE);
        described.setGroupState(group.state().wireName())
                .setProtocolType(group.protocolType() == null ? "" : group.protocolType())
                .setProtocolData(stable ? group.protocolName() : "");
        for (GroupMember member : group.members()) {
            described.members().add(new DescribedGroupMember()
                    .setMemberId(member.memberId())
                    .setGroupInstanceId(member.groupInstanceId())
                    .setClientId(member.clientId())
                    .setClientHost(member.clientHost())
                    .setMemberMetadata(stable ? member.metadata(group.protocolName()) : GroupMember.EMPTY_BYTES)
                    .setMemberAssignment(member.assignment()));
        }
        return described;
    }

    ListGroupsResponseData list(ListGroupsRequestData request) {
        ListGroupsResponseData response = new ListGroupsResponseData();
        Set<String> states = lowerCase(request.statesFilter());
        Set<String> types = lowerCase(request.typesFilter());
        if (!types.isEmpty() && !types.contains(GROUP_TYPE)) {
            return response;
        }
        Map<String, ListedGroup> listed = new TreeMap<>();
        for (ClassicGroup inMemory : groups.get()) {
            synchronized (inMemory) {
                if (!inMemory.is(GroupState.DEAD)) {
                    listed.put(inMemory.groupId(), listed(inMemory.groupId(), inMemory.protocolType(), inMemory.state()));
                }
            }
        }
        try {
            for (String groupId : store.groupIds()) {
                listed.putIfAbsent(groupId, listed(groupId, "", GroupState.EMPTY));
            }
        } catch (MetadataStoreException e) {
            return response.setErrorCode(Errors.COORDINATOR_NOT_AVAILABLE.code());
        }
        for (ListedGroup entry : listed.values()) {
            if (states.isEmpty() || states.contains(entry.groupState().toLowerCase(Locale.ROOT))) {
                response.groups().add(entry);
            }
        }
        return response;
    }

    private static ListedGroup listed(String groupId, String protocolType, GroupState state) {
        return new ListedGroup()
                .setGroupId(groupId)
                .setProtocolType(protocolType == null ? "" : protocolType)
                .setGroupState(state.wireName())
                .setGroupType(GROUP_TYPE);
    }

    private static Set<String> lowerCase(List<String> values) {
        return values == null ? Set.of()
                : values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
