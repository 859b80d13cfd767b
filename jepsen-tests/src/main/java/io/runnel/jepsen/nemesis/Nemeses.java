package io.runnel.jepsen.nemesis;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The nemesis names {@code bin/runnel jepsen run --nemesis} accepts, with what each does (for {@code --help}). */
public final class Nemeses {
    /** Name -> one-line description, in the order --help lists them. */
    public static final Map<String, String> AVAILABLE = available();
    /** Names reserved for faults later issues add (disk faults); refused for now. */
    public static final List<String> PLANNED = List.of("disk");
    /** Faults that cut or shape the network: they need network namespaces (root). */
    public static final List<String> NETWORK = List.of("partition", "packet");

    private Nemeses() {
    }

    private static Map<String, String> available() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("partition", "drop packets between nodes: isolate one node, the partition-0 leader or the active "
                + "controller; majority/minority halves; a bridge; a ring of overlapping majorities");
        m.put("packet", "tc netem between nodes: delay, loss, duplication, reordering, or all of them");
        m.put("kill", "SIGKILL one node, the partition-0 leader, the active controller, a minority or a majority; "
                + "restart them when the fault ends");
        m.put("pause", "SIGSTOP the same targets; SIGCONT when the fault ends");
        m.put("membership", "reassign a partition to new replicas, drain a node's replicas to others (moved back when "
                + "the fault ends), or remove a controller from the quorum (added back when the fault ends)");
        m.put("clock", "libfaketime: skew, bump (up to 262 s) or strobe the wall clock of one or more nodes");
        return java.util.Collections.unmodifiableMap(m);
    }
}
