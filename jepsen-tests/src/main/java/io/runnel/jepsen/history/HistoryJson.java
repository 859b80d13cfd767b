package io.runnel.jepsen.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The history file format: one JSON object per line, e.g.
 * <pre>
 * {"index":7,"time":1523000000,"process":2,"type":"ok","f":"send","partition":1,"value":42,"offset":17}
 * {"index":9,"time":1530000000,"process":4,"type":"ok","f":"poll","reads":{"1":[[17,42],[18,43]]}}
 * {"index":11,"time":1540000000,"process":5,"type":"ok","f":"rebalance","partitions":[0,2]}
 * {"index":12,"time":1550000000,"process":0,"type":"info","f":"send","partition":0,"value":9,"error":"..."}
 * {"index":13,"time":1560000000,"process":1,"type":"ok","f":"write","partition":3,"key":7,"value":12,"offset":40}
 * {"index":15,"time":1570000000,"process":3,"type":"ok","f":"read","reads":{"3":[[38,11,7],[40,12,7]]}}
 * {"index":20,"time":1580000000,"process":2,"type":"invoke","f":"txn","txn":[["send",1,43],["poll"]]}
 * {"index":23,"time":1590000000,"process":2,"type":"ok","f":"txn","txn":[["send",1,43,19],["poll",{"0":[[5,8]]}]]}
 * {"index":25,"time":1600000000,"process":2,"type":"fail","f":"txn","txn":[["send",0,9]],"aborted":true}
 * </pre>
 * Reads are {@code [offset, value]} pairs, or {@code [offset, value, key]} triples for the kv workload (value: the
 * key's version). A transaction's micro-ops ({@link Micro}) are {@code ["send", partition, value]} plus the offset
 * when known, and {@code ["poll"]} plus its reads (partition -> pairs, as above) when known; {@code aborted} appears
 * only when true. Fields that do not apply to an entry are left out (see {@link Op}), so histories written before
 * transactions existed read unchanged.
 */
public final class HistoryJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private HistoryJson() {
    }

    /** One line of JSON (no newline) for {@code op}. */
    public static String toLine(Op op) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("index", op.index());
        o.put("time", op.time());
        o.put("process", op.process());
        o.put("type", op.type().json());
        o.put("f", op.f().json());
        if (op.partition() >= 0) {
            o.put("partition", op.partition());
        }
        if (op.key() >= 0) {
            o.put("key", op.key());
        }
        if (op.f() == Op.F.SEND || op.f() == Op.F.WRITE) {
            o.put("value", op.value());
        }
        if (op.offset() >= 0) {
            o.put("offset", op.offset());
        }
        if (!op.reads().isEmpty()) {
            writeReads(o.putObject("reads"), op.reads());
        }
        if (!op.txn().isEmpty()) {
            ArrayNode txn = o.putArray("txn");
            for (Micro m : op.txn()) {
                ArrayNode a = txn.addArray().add(m.f().json());
                if (m.f() == Micro.F.SEND) {
                    a.add(m.partition()).add(m.value());
                    if (m.offset() >= 0) {
                        a.add(m.offset());
                    }
                } else if (!m.reads().isEmpty()) {
                    writeReads(a.addObject(), m.reads());
                }
            }
        }
        if (op.aborted()) {
            o.put("aborted", true);
        }
        if (!op.partitions().isEmpty() || op.f() == Op.F.ASSIGN || op.f() == Op.F.REBALANCE
                || op.f() == Op.F.SUBSCRIBE) {
            if (op.type() != Op.Type.INVOKE) {
                ArrayNode ps = o.putArray("partitions");
                op.partitions().forEach(ps::add);
            }
        }
        if (op.error() != null) {
            o.put("error", op.error());
        }
        return o.toString();
    }

    private static void writeReads(ObjectNode reads, Map<Integer, List<Op.Read>> m) {
        m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ArrayNode list = reads.putArray(Integer.toString(e.getKey()));
            for (Op.Read r : e.getValue()) {
                ArrayNode pair = list.addArray().add(r.offset()).add(r.value());
                if (r.key() >= 0) {
                    pair.add(r.key());
                }
            }
        });
    }

    private static Map<Integer, List<Op.Read>> readReads(JsonNode r) {
        Map<Integer, List<Op.Read>> reads = new LinkedHashMap<>();
        if (r != null) {
            r.fields().forEachRemaining(e -> {
                List<Op.Read> list = new ArrayList<>();
                for (JsonNode pair : e.getValue()) {
                    list.add(new Op.Read(pair.get(0).asLong(), pair.get(1).asLong(),
                            pair.size() > 2 ? pair.get(2).asInt() : -1));
                }
                reads.put(Integer.parseInt(e.getKey()), list);
            });
        }
        return reads;
    }

    private static List<Micro> readTxn(JsonNode t, String line) {
        List<Micro> micros = new ArrayList<>();
        if (t == null) {
            return micros;
        }
        for (JsonNode m : t) {
            String f = m.path(0).asText();
            if (f.equals("send")) {
                micros.add(new Micro(Micro.F.SEND, m.path(1).asInt(-1), m.path(2).asLong(-1), m.path(3).asLong(-1),
                        null));
            } else if (f.equals("poll")) {
                micros.add(Micro.poll(readReads(m.get(1))));
            } else {
                throw new IllegalArgumentException("unknown micro-op '" + f + "': " + line);
            }
        }
        return micros;
    }

    /**
     * Parses one line written by {@link #toLine}.
     *
     * @throws IllegalArgumentException when the line is not such an object (bad JSON, unknown type or f)
     */
    public static Op fromLine(String line) {
        JsonNode o;
        try {
            o = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a JSON history line: " + line, e);
        }
        if (o == null || !o.isObject() || !o.has("type") || !o.has("f")) {
            throw new IllegalArgumentException("not a history entry (needs type and f): " + line);
        }
        Map<Integer, List<Op.Read>> reads = readReads(o.get("reads"));
        List<Integer> partitions = new ArrayList<>();
        JsonNode ps = o.get("partitions");
        if (ps != null) {
            ps.forEach(p -> partitions.add(p.asInt()));
        }
        return new Op(o.path("index").asLong(-1), o.path("time").asLong(-1), o.path("process").asInt(-1),
                Op.Type.valueOf(o.get("type").asText().toUpperCase(Locale.ROOT)),
                Op.F.valueOf(o.get("f").asText().toUpperCase(Locale.ROOT)),
                o.path("partition").asInt(-1), o.path("value").asLong(-1), o.path("offset").asLong(-1),
                reads, partitions, o.hasNonNull("error") ? o.get("error").asText() : null,
                o.path("key").asInt(-1), readTxn(o.get("txn"), line), o.path("aborted").asBoolean(false));
    }

    /** Reads a whole history file. */
    public static List<Op> read(Path file) throws IOException {
        List<Op> ops = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    ops.add(fromLine(line));
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ops;
    }
}
