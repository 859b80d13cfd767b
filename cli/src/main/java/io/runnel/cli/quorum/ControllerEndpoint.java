package io.runnel.cli.quorum;

/**
 * One listener of a controller that {@code add-controller} names in AddRaftVoter (KIP-853): listener name (e.g.
 * {@code CONTROLLER}), host and port, as {@code listeners} / {@code advertised.listeners} give them.
 */
public record ControllerEndpoint(String name, String host, int port) {
    @Override
    public String toString() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
