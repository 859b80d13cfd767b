package io.runnel.cli.quorum;

import io.runnel.cli.CliException;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What {@code metadata-quorum add-controller} reads from the new controller's properties file ({@code
 * --command-config}), as Kafka's tool does: {@code node.id}, {@code process.roles} (must include {@code
 * controller}), and the endpoints of {@code controller.listener.names} (default {@code CONTROLLER}) in {@code
 * advertised.listeners} when it lists them, else in {@code listeners} (a blank host is {@code localhost}). Errors are
 * {@link CliException}s naming the key (exit 1).
 */
record NewControllerProperties(int nodeId, List<ControllerEndpoint> endpoints) {

    static NewControllerProperties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        } catch (IOException e) {
            throw new CliException("Cannot read " + file + ": " + e.getMessage());
        }
        String id = p.getProperty("node.id");
        if (id == null || id.isBlank()) {
            throw new CliException("node.id not found in " + file);
        }
        int nodeId;
        try {
            nodeId = Integer.parseInt(id.trim());
        } catch (NumberFormatException e) {
            throw new CliException("Invalid node.id '" + id + "' in " + file);
        }
        String roles = p.getProperty("process.roles", "");
        if (!List.of(roles.replace(" ", "").split(",")).contains("controller")) {
            throw new CliException("process.roles in " + file + " must contain 'controller' to add a controller");
        }
        List<String> names = List.of(p.getProperty("controller.listener.names", "CONTROLLER").replace(" ", "")
                .split(","));
        List<ControllerEndpoint> endpoints = endpoints(p.getProperty("advertised.listeners", ""), names);
        if (endpoints.isEmpty()) {
            endpoints = endpoints(p.getProperty("listeners", ""), names);
        }
        if (endpoints.isEmpty()) {
            throw new CliException("No listener of controller.listener.names " + names + " in listeners or "
                    + "advertised.listeners of " + file);
        }
        return new NewControllerProperties(nodeId, endpoints);
    }

    private static List<ControllerEndpoint> endpoints(String listeners, List<String> names) {
        List<ControllerEndpoint> out = new ArrayList<>();
        for (String l : listeners.split(",")) {
            String t = l.trim();
            int sep = t.indexOf("://");
            if (sep <= 0 || !names.contains(t.substring(0, sep))) {
                continue;
            }
            String hostPort = t.substring(sep + 3);
            int colon = hostPort.lastIndexOf(':');
            if (colon < 0) {
                throw new CliException("Invalid listener '" + t + "': expected NAME://host:port");
            }
            String host = hostPort.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new CliException("Invalid listener '" + t + "': expected NAME://host:port");
            }
            if (port <= 0) {
                throw new CliException("Listener '" + t + "' needs a fixed port to be added as a controller");
            }
            out.add(new ControllerEndpoint(t.substring(0, sep), host.isBlank() ? "localhost" : host, port));
        }
        return out;
    }
}
