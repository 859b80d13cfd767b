package io.runnel.compat.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A small client of a Connect worker's REST API ({@link HttpClient}, JSON through Jackson), every request bounded by
 * {@link #REQUEST_TIMEOUT}.
 */
public final class ConnectRest {

    /** Upper bound for one request. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    /** A response: its status code and its body parsed as JSON (null when the body is empty or not JSON). */
    public record Reply(int status, JsonNode json, String body) {
        /** Whether the status is 2xx. */
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** @param base the worker's REST base, e.g. {@code http://127.0.0.1:18083} */
    public ConnectRest(URI base) {
        this.base = base;
    }

    /** {@code GET path}. */
    public Reply get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    /** {@code PUT path} with {@code body} as JSON. */
    public Reply put(String path, Object body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))));
    }

    /**
     * Creates or updates connector {@code name} with {@code config} ({@code PUT /connectors/<name>/config}).
     *
     * @return the reply; 201 when created, 200 when updated
     */
    public Reply putConnectorConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        return put("/connectors/" + name + "/config", config);
    }

    /** The connector's stored config ({@code GET /connectors/<name>/config}) as a map, or null unless 200. */
    public Map<String, String> connectorConfig(String name) throws IOException, InterruptedException {
        Reply r = get("/connectors/" + name + "/config");
        if (r.status() != 200 || r.json() == null) {
            return null;
        }
        return JSON.convertValue(r.json(), JSON.getTypeFactory().constructMapType(Map.class, String.class,
                String.class));
    }

    /**
     * Whether the connector and every one of its tasks (at least one) report {@code RUNNING} in
     * {@code GET /connectors/<name>/status}.
     */
    public boolean runningWithTasks(String name) throws IOException, InterruptedException {
        Reply r = get("/connectors/" + name + "/status");
        if (r.status() != 200 || r.json() == null) {
            return false;
        }
        JsonNode tasks = r.json().path("tasks");
        if (!"RUNNING".equals(r.json().path("connector").path("state").asText()) || tasks.size() == 0) {
            return false;
        }
        for (JsonNode t : tasks) {
            if (!"RUNNING".equals(t.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    private Reply send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request.timeout(REQUEST_TIMEOUT).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        String body = response.body();
        if (body != null && !body.isBlank()) {
            try {
                json = JSON.readTree(body);
            } catch (IOException notJson) {
                json = null;
            }
        }
        return new Reply(response.statusCode(), json, body);
    }
}
