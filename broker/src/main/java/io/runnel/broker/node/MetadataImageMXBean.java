package io.runnel.broker.node;

/**
 * The node's metadata image as JMX shows it, under {@code io.runnel:type=MetadataImage,nodeId=<node.id>}: what an
 * operator (or a test from outside the process, through the JDK attach API) compares across nodes to see that every
 * node replayed the metadata log to the same image. Read-only.
 */
public interface MetadataImageMXBean {
    /**
     * The index of the last metadata log entry this node has accounted for (Ratis index; -1 before any), as its
     * heartbeats report it.
     */
    long getLastAppliedOffset();

    /** The index of the last log entry that changed the image (its provenance; -1 for the empty image). */
    long getImageOffset();

    /**
     * The image offset of the image the broker role serves clients from (Metadata answers, leadership, reads). It
     * trails {@link #getImageOffset()} for a moment after each change and stays -1 until the broker's first unfence;
     * -1 on a controller-only node. A broker that was stopped (SIGSTOP, a long GC pause) serves its old image until
     * it has caught up with the metadata log, so comparing this across nodes shows whether any still answers from
     * an outdated image.
     */
    long getServedImageOffset();

    /** SHA-256 of the image's canonical snapshot bytes, 64 lowercase hex digits: equal images, equal digests. */
    String getDigest();

    /** The cluster the image belongs to. */
    String getClusterId();

    /** Registered brokers that are unfenced (Kafka's controller metric {@code ActiveBrokerCount}). */
    int getActiveBrokerCount();

    /** Registered brokers that are fenced (Kafka's controller metric {@code FencedBrokerCount}). */
    int getFencedBrokerCount();

    /** The ids of the fenced brokers, ascending. */
    int[] getFencedBrokerIds();
}
