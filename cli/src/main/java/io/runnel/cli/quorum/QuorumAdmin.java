package io.runnel.cli.quorum;

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

    /** Releases the connection; never throws. */
    @Override
    void close();
}
