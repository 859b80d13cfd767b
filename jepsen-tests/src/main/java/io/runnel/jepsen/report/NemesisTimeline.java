package io.runnel.jepsen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runnel.jepsen.nemesis.NemesisEvent;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code nemesis.jsonl}: one JSON object per fault start or stop, e.g.
 * {@code {"time":5273749014,"nemesis":"partition","action":"start","description":"isolate n2 ...","nodes":[1,2,3]}}
 * ({@code time} in ns since the run's start, the history's clock). Writes are thread-safe and flushed per line, so the
 * file is complete up to the moment of a crash.
 */
public final class NemesisTimeline implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final BufferedWriter out;

    /** Creates (or truncates) {@code file}. */
    public NemesisTimeline(Path file) throws IOException {
        out = Files.newBufferedWriter(file);
    }

    /** Appends one event. */
    public synchronized void append(NemesisEvent e) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("time", e.time());
        o.put("nemesis", e.nemesis());
        o.put("action", e.action());
        o.put("description", e.description());
        e.nodes().forEach(o.putArray("nodes")::add);
        try {
            out.write(o.toString());
            out.newLine();
            out.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Reads a timeline file back. */
    public static List<NemesisEvent> read(Path file) throws IOException {
        List<NemesisEvent> events = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode o = MAPPER.readTree(line);
            List<Integer> nodes = new ArrayList<>();
            o.path("nodes").forEach(n -> nodes.add(n.asInt()));
            events.add(new NemesisEvent(o.path("time").asLong(), o.path("nemesis").asText(),
                    o.path("action").asText(), o.path("description").asText(), nodes));
        }
        return events;
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
