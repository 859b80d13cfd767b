package io.runnel.cli.quorum;

import java.util.List;

/**
 * What {@code runnel metadata-quorum} asks the cluster, each call blocking until the broker answered. The real
 * implementation ({@link AdminQuorumAdmin}) uses kafka-clients' {@code Admin}; tests substitute a fake. Failures are
 * thrown as kafka-clients throws them (e.g. {@code TimeoutException}), unwrapped from their futures.
 */
public interface QuorumAdmin extends AutoCloseable {

    /** @return the metadata quorum as {@code Admin.describeMetadataQuorum()} reports it */
    QuorumDescription describeQuorum();

    /** @return the cluster id, as {@code Admin.describeCluster()} reports it */
    String clusterId();

    /**
     * {@code Admin.addRaftVoter} (AddRaftVoter, key 80; KIP-853): makes a running controller a voter.
     *
     * @param endpoints its controller listeners, each {@code NAME://host:port}'s parts
     */
    void addController(int id, String directoryId, List<ControllerEndpoint> endpoints);

    /** {@code Admin.removeRaftVoter} (RemoveRaftVoter, key 81; KIP-853). */
    void removeController(int id, String directoryId);

    /** Releases the connection; never throws. */
    @Override
    void close();
}
