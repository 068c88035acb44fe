package dev.runnel.log.group;

/**
 * The states of a classic group, named as Kafka names them on the wire (DescribeGroups,
 * ListGroups).
 *
 * <pre>
 * Empty ──join──▶ PreparingRebalance ──all joined / timeout──▶ CompletingRebalance ──leader sync──▶ Stable
 *   ▲                 │  ▲                                          │                                │
 *   └─no members left─┘  └──────── member joins, leaves or expires ─┴────────────────────────────────┘
 * </pre>
 *
 * A group is Dead once it is dropped from memory (Empty with nobody joining) or the coordinator
 * has closed; a request that still holds it treats it as unknown.
 */
enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String wireName;

    GroupState(String wireName) {
        this.wireName = wireName;
    }

    /** The name Kafka reports for this state. */
    String wireName() {
        return wireName;
    }
}
