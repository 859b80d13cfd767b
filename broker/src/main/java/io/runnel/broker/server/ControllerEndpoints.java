package io.runnel.broker.server;

import io.runnel.metadata.quorum.QuorumVoter;

import java.util.List;
import java.util.Objects;

/**
 * Where the controllers listen, as DescribeQuorum v2 reports them (KIP-853 {@code nodes}): the controller listener's
 * name and the voters of {@code controller.quorum.voters}. Immutable.
 *
 * @param listenerName the first of {@code controller.listener.names} (Kafka's default {@code CONTROLLER})
 * @param voters       {@code controller.quorum.voters} (id, host, port); empty when unknown
 */
public record ControllerEndpoints(String listenerName, List<QuorumVoter> voters) {
    /** No endpoints known: DescribeQuorum v2 answers an empty {@code nodes} list. */
    public static final ControllerEndpoints NONE = new ControllerEndpoints("CONTROLLER", List.of());

    public ControllerEndpoints {
        Objects.requireNonNull(listenerName, "listenerName");
        voters = List.copyOf(voters);
    }
}
