package io.runnel.broker.protocol;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The API versions Runnel speaks, written out by hand as in DESIGN.md section 2 and never derived from
 * {@code ApiKeys.latestVersion()}, which moves between kafka-clients releases.
 *
 * <p>{@link #DESIGN} is the whole table of the design; a running broker advertises the part of it it has handlers
 * for ({@link #forApis}), with EndTxn and TxnOffsetCommit capped at v4 when {@code transaction.version} is below
 * 2 (transactions v1). An API may be <em>advertised</em> more widely than it is <em>served</em>: Produce is
 * advertised 0-12 because librdkafka only compresses when Produce v0 is in range (KAFKA-18659), and served 3-12;
 * v0-2 requests are answered UNSUPPORTED_VERSION (35).
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiVersionTable {
    /** The highest {@code transaction.version} feature level supported (transactions v2, KIP-890 part 2). */
    public static final int MAX_TRANSACTION_VERSION = 2;
    /** Every API of DESIGN.md section 2 with the range to advertise once it has a handler. */
    public static final ApiVersionTable DESIGN;

    static {
        Map<ApiKeys, VersionRange> t = new EnumMap<>(ApiKeys.class);
        t.put(ApiKeys.API_VERSIONS, VersionRange.of(0, 4));
        t.put(ApiKeys.METADATA, VersionRange.of(0, 12));
        t.put(ApiKeys.PRODUCE, VersionRange.of(0, 12));
        t.put(ApiKeys.FETCH, VersionRange.of(4, 12));
        t.put(ApiKeys.LIST_OFFSETS, VersionRange.of(1, 7));
        // DeleteRecords (KIP-107) joins the DESIGN.md table: kafka-delete-records and Admin.deleteRecords
        t.put(ApiKeys.DELETE_RECORDS, VersionRange.of(0, 2));
        t.put(ApiKeys.INIT_PRODUCER_ID, VersionRange.of(0, 5));
        t.put(ApiKeys.FIND_COORDINATOR, VersionRange.of(0, 4));
        t.put(ApiKeys.JOIN_GROUP, VersionRange.of(0, 9));
        t.put(ApiKeys.SYNC_GROUP, VersionRange.of(0, 5));
        t.put(ApiKeys.HEARTBEAT, VersionRange.of(0, 4));
        t.put(ApiKeys.LEAVE_GROUP, VersionRange.of(0, 5));
        t.put(ApiKeys.OFFSET_COMMIT, VersionRange.of(2, 9));
        t.put(ApiKeys.OFFSET_FETCH, VersionRange.of(1, 9));
        t.put(ApiKeys.CREATE_TOPICS, VersionRange.of(2, 7));
        t.put(ApiKeys.DELETE_TOPICS, VersionRange.of(1, 6));
        // issue 4 adds these two to the DESIGN.md table: kafka-topics --alter and Admin.incrementalAlterConfigs
        t.put(ApiKeys.CREATE_PARTITIONS, VersionRange.of(0, 3));
        t.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, VersionRange.of(0, 1));
        // issue 12: partition reassignment (KIP-455), Admin.alterPartitionReassignments / listPartitionReassignments
        t.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, VersionRange.of(0, 0));
        t.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, VersionRange.of(0, 0));
        t.put(ApiKeys.LIST_GROUPS, VersionRange.of(0, 5));
        t.put(ApiKeys.DESCRIBE_GROUPS, VersionRange.of(0, 5));
        // issue 6 adds these two to the DESIGN.md table: Admin.deleteConsumerGroups and deleteConsumerGroupOffsets
        t.put(ApiKeys.DELETE_GROUPS, VersionRange.of(0, 2));
        t.put(ApiKeys.OFFSET_DELETE, VersionRange.of(0, 0));
        t.put(ApiKeys.DESCRIBE_CLUSTER, VersionRange.of(0, 2));
        t.put(ApiKeys.DESCRIBE_CONFIGS, VersionRange.of(1, 4));
        t.put(ApiKeys.DESCRIBE_QUORUM, VersionRange.of(0, 2));
        // issue 12 adds these two: kafka-leader-election (KIP-183, KIP-460) and kafka-log-dirs (KIP-113)
        t.put(ApiKeys.ELECT_LEADERS, VersionRange.of(0, 2));
        t.put(ApiKeys.DESCRIBE_LOG_DIRS, VersionRange.of(1, 4));
        t.put(ApiKeys.UNREGISTER_BROKER, VersionRange.of(0, 0));
        // issue 12: controller quorum membership (KIP-853); AddRaftVoter v1's AckWhenCommitted=false is not offered
        t.put(ApiKeys.ADD_RAFT_VOTER, VersionRange.of(0, 0));
        t.put(ApiKeys.REMOVE_RAFT_VOTER, VersionRange.of(0, 0));
        // issue 13: transactions (KIP-98; KIP-664 for the admin APIs). EndTxn v5 and TxnOffsetCommit v5 belong to
        // transactions v2 (KIP-890 part 2): offered while transaction.version is 2 (forApis caps them at v4 below),
        // WriteTxnMarkers v2 carries the marker's transaction version. InitProducerId v6 (KIP-939) is not offered
        t.put(ApiKeys.ADD_PARTITIONS_TO_TXN, VersionRange.of(0, 5));
        t.put(ApiKeys.ADD_OFFSETS_TO_TXN, VersionRange.of(0, 4));
        t.put(ApiKeys.END_TXN, VersionRange.of(0, 5));
        t.put(ApiKeys.WRITE_TXN_MARKERS, VersionRange.of(1, 2));
        t.put(ApiKeys.TXN_OFFSET_COMMIT, VersionRange.of(0, 5));
        t.put(ApiKeys.DESCRIBE_TRANSACTIONS, VersionRange.of(0, 0));
        t.put(ApiKeys.LIST_TRANSACTIONS, VersionRange.of(0, 2));
        t.put(ApiKeys.DESCRIBE_PRODUCERS, VersionRange.of(0, 0));
        Map<ApiKeys, VersionRange> served = new EnumMap<>(t);
        served.put(ApiKeys.PRODUCE, VersionRange.of(3, 12));
        DESIGN = new ApiVersionTable(t, served, MAX_TRANSACTION_VERSION);
    }

    private final Map<ApiKeys, VersionRange> advertised;
    private final Map<ApiKeys, VersionRange> served;
    private final int transactionVersion;

    private ApiVersionTable(Map<ApiKeys, VersionRange> advertised, Map<ApiKeys, VersionRange> served,
                            int transactionVersion) {
        this.advertised = Collections.unmodifiableMap(new EnumMap<>(advertised));
        this.served = Collections.unmodifiableMap(new EnumMap<>(served));
        this.transactionVersion = transactionVersion;
    }

    /** {@link #forApis(Set, int)} with transactions v2 ({@code transaction.version} 2). */
    public static ApiVersionTable forApis(Set<ApiKeys> apis) {
        return forApis(apis, MAX_TRANSACTION_VERSION);
    }

    /**
     * The part of {@link #DESIGN} covering {@code apis} (those with a handler). ApiVersions is always included.
     *
     * @throws IllegalArgumentException when an API is not in the design table
     */
    public static ApiVersionTable forApis(Set<ApiKeys> apis, int transactionVersion) {
        Map<ApiKeys, VersionRange> a = new EnumMap<>(ApiKeys.class);
        Map<ApiKeys, VersionRange> s = new EnumMap<>(ApiKeys.class);
        for (ApiKeys key : apis) {
            VersionRange range = DESIGN.advertised.get(key);
            if (range == null) {
                throw new IllegalArgumentException(key + " is not in the advertised-version table of DESIGN.md");
            }
            a.put(key, range);
            s.put(key, DESIGN.served.get(key));
        }
        a.put(ApiKeys.API_VERSIONS, DESIGN.advertised.get(ApiKeys.API_VERSIONS));
        s.put(ApiKeys.API_VERSIONS, DESIGN.served.get(ApiKeys.API_VERSIONS));
        if (transactionVersion < 2) {
            // transactions v1: EndTxn v5 and TxnOffsetCommit v5 exist only in transactions v2 (KIP-890 part 2)
            for (ApiKeys key : new ApiKeys[]{ApiKeys.END_TXN, ApiKeys.TXN_OFFSET_COMMIT}) {
                if (a.containsKey(key)) {
                    a.put(key, VersionRange.of(a.get(key).min(), Math.min(a.get(key).max(), 4)));
                    s.put(key, VersionRange.of(s.get(key).min(), Math.min(s.get(key).max(), 4)));
                }
            }
        }
        return new ApiVersionTable(a, s, transactionVersion);
    }

    /**
     * The finalized level of the {@code transaction.version} feature (KIP-584, KIP-890) ApiVersions advertises:
     * 0 or 1 = transactions v1, 2 = transactions v2.
     */
    public int transactionVersion() {
        return transactionVersion;
    }

    /** The advertised range of {@code key}, or null when the API is not offered. */
    public VersionRange advertised(ApiKeys key) {
        return advertised.get(key);
    }

    /** The range actually served (a subset of the advertised one), or null when the API is not offered. */
    public VersionRange served(ApiKeys key) {
        return served.get(key);
    }

    /** The APIs offered. */
    public Set<ApiKeys> apis() {
        return advertised.keySet();
    }

    /** The {@code api_keys} array of an ApiVersions response: every offered API with its advertised range. */
    public ApiVersionCollection toApiVersions() {
        ApiVersionCollection c = new ApiVersionCollection(advertised.size());
        advertised.forEach((key, range) -> c.add(apiVersion(key, range)));
        return c;
    }

    /** One {@code api_keys} entry. */
    public static ApiVersion apiVersion(ApiKeys key, VersionRange range) {
        return new ApiVersion().setApiKey(key.id).setMinVersion(range.min()).setMaxVersion(range.max());
    }
}
