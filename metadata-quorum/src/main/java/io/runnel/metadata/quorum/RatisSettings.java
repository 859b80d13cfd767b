package io.runnel.metadata.quorum;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * The Ratis settings Runnel runs with (see ../shared/DESIGN.md section 5): gRPC transport, election timeout 1-2 s,
 * first election after 200-400 ms, automatic snapshots every {@code snapshotThreshold} entries keeping two, 4 MB
 * log segments, linearizable reads, and a storage directory that is always set (Ratis' default is /tmp/raft-server).
 */
public final class RatisSettings {
    /** Default number of applied entries between automatic snapshots. */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 4096;
    /** Client attempts before a submit fails, and the pause between them. */
    public static final int CLIENT_MAX_ATTEMPTS = 40;
    public static final TimeDuration CLIENT_RETRY_SLEEP = TimeDuration.valueOf(250, TimeUnit.MILLISECONDS);
    /** Per-attempt client request timeout. */
    public static final TimeDuration CLIENT_REQUEST_TIMEOUT = TimeDuration.valueOf(3, TimeUnit.SECONDS);

    private RatisSettings() {
    }

    /** Server properties for a member whose Ratis storage lives in {@code storageDir}, listening on {@code self}. */
    public static RaftProperties server(Path storageDir, QuorumVoter self, long snapshotThreshold) {
        return server(storageDir, self, snapshotThreshold, false);
    }

    /**
     * As {@link #server(Path, QuorumVoter, long)}; with {@code purgeToSnapshots} (tests) the log rolls 8 KB segments
     * and every snapshot purges the closed ones up to it, even entries a stopped voter still lacks, so that voter
     * must catch up by a snapshot install.
     */
    static RaftProperties server(Path storageDir, QuorumVoter self, long snapshotThreshold, boolean purgeToSnapshots) {
        RaftProperties p = common();
        RaftServerConfigKeys.setStorageDir(p, List.of(storageDir.toFile()));
        GrpcConfigKeys.Server.setHost(p, self.host());
        GrpcConfigKeys.Server.setPort(p, self.port());
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(1, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2, TimeUnit.SECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(400, TimeUnit.MILLISECONDS));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, snapshotThreshold);
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(purgeToSnapshots ? "8KB" : "4MB"));
        if (purgeToSnapshots) {
            RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
            RaftServerConfigKeys.Log.setPurgeGap(p, 1);
        }
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        return p;
    }

    /** Client properties: gRPC and a bounded per-request timeout. */
    public static RaftProperties client() {
        RaftProperties p = common();
        RaftClientConfigKeys.Rpc.setRequestTimeout(p, CLIENT_REQUEST_TIMEOUT);
        return p;
    }

    /** Bounded retries (Ratis' default retries forever without pausing). */
    public static RetryPolicy clientRetryPolicy() {
        return RetryPolicies.retryUpToMaximumCountWithFixedSleep(CLIENT_MAX_ATTEMPTS, CLIENT_RETRY_SLEEP);
    }

    private static RaftProperties common() {
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        return p;
    }
}
