package io.runnel.jepsen.host;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The commands that degrade one namespace's packets to some peers, and undo it. Egress of the namespace's
 * {@code eth0} gets an {@code htb} root (default class 1:10, unshaped); packets to the peers go to class 1:20.
 *
 * <p>Where the kernel has {@code sch_netem}, 1:20's leaf is a netem qdisc with the {@link Netem}'s delay, loss,
 * duplication and reordering (tc-netem(8)). Kernels without it (this project's VMs: 6.18 with no sch_netem or
 * sch_prio) get the same four faults from what they do have:
 * <ul>
 *   <li>delay: class 1:20 limited to 1 mbit/s, so packets queue behind each other (a slow link; the delay grows
 *       with the traffic instead of being fixed);</li>
 *   <li>loss: {@code iptables -A OUTPUT -d peer -m statistic --mode random --probability p -j DROP};</li>
 *   <li>duplication: {@code iptables -t mangle -A POSTROUTING -d peer -m statistic ... -j TEE --gateway peer}
 *       (a copy of the packet goes to the peer as well);</li>
 *   <li>reordering: a share of the packets is {@code CLASSIFY}'d into class 1:30, limited to 256 kbit/s, so they
 *       fall behind the packets sent after them.</li>
 * </ul>
 */
final class PacketShaper {
    private PacketShaper() {
    }

    /** True when this kernel has the netem qdisc (probed in namespace {@code ns} on its loopback). */
    static boolean netemAvailable(String ns) {
        boolean ok = Shell.quiet("ip", "netns", "exec", ns, "tc", "qdisc", "add", "dev", "lo", "root", "netem",
                "delay", "1ms").ok();
        Shell.quiet("ip", "netns", "exec", ns, "tc", "qdisc", "del", "dev", "lo", "root");
        return ok;
    }

    /** The commands that shape {@code ns}'s packets to {@code peers} (addresses). */
    static List<List<String>> shape(String ns, Netem netem, Collection<String> peers, boolean netemAvailable) {
        List<List<String>> cmds = new ArrayList<>();
        cmds.add(tc(ns, "qdisc", "add", "dev", "eth0", "root", "handle", "1:", "htb", "default", "10"));
        cmds.add(tc(ns, "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:10", "htb", "rate", "10gbit"));
        String peerRate = !netemAvailable && netem.delayMs() > 0 ? "1mbit" : "10gbit";
        cmds.add(tc(ns, "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:20", "htb", "rate", peerRate));
        for (String peer : peers) {
            cmds.add(tc(ns, "filter", "add", "dev", "eth0", "protocol", "ip", "parent", "1:", "prio", "1", "u32",
                    "match", "ip", "dst", peer + "/32", "flowid", "1:20"));
        }
        if (netemAvailable) {
            List<String> q = tc(ns, "qdisc", "add", "dev", "eth0", "parent", "1:20", "handle", "20:", "netem");
            q.addAll(netem.args());
            cmds.add(q);
            return cmds;
        }
        if (netem.reorderPercent() > 0) {
            cmds.add(tc(ns, "class", "add", "dev", "eth0", "parent", "1:", "classid", "1:30", "htb", "rate",
                    "256kbit"));
        }
        for (String peer : peers) {
            if (netem.lossPercent() > 0) {
                cmds.add(iptables(ns, "filter", "OUTPUT", peer, netem.lossPercent(), "DROP"));
            }
            if (netem.duplicatePercent() > 0) {
                List<String> c = iptables(ns, "mangle", "POSTROUTING", peer, netem.duplicatePercent(), "TEE");
                c.addAll(List.of("--gateway", peer));
                cmds.add(c);
            }
            if (netem.reorderPercent() > 0) {
                List<String> c = iptables(ns, "mangle", "POSTROUTING", peer, netem.reorderPercent(), "CLASSIFY");
                c.addAll(List.of("--set-class", "1:30"));
                cmds.add(c);
            }
        }
        return cmds;
    }

    /** The commands that remove every shaping of {@code ns} (each may find nothing to remove). */
    static List<List<String>> unshape(String ns) {
        return List.of(tc(ns, "qdisc", "del", "dev", "eth0", "root"),
                List.of("ip", "netns", "exec", ns, "iptables", "-w", "-F", "OUTPUT"),
                List.of("ip", "netns", "exec", ns, "iptables", "-w", "-t", "mangle", "-F", "POSTROUTING"));
    }

    /** How the fault is made on this kernel, for the timeline. */
    static String mechanism(Netem netem, boolean netemAvailable) {
        if (netemAvailable) {
            return "netem " + netem;
        }
        List<String> parts = new ArrayList<>();
        if (netem.delayMs() > 0) {
            parts.add("slow link 1mbit");
        }
        if (netem.lossPercent() > 0) {
            parts.add("loss " + netem.lossPercent() + "%");
        }
        if (netem.duplicatePercent() > 0) {
            parts.add("duplicate " + netem.duplicatePercent() + "%");
        }
        if (netem.reorderPercent() > 0) {
            parts.add("reorder " + netem.reorderPercent() + "% (256kbit lane)");
        }
        return String.join(", ", parts) + " (no sch_netem: htb + iptables)";
    }

    private static List<String> tc(String ns, String... args) {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns, "tc"));
        c.addAll(List.of(args));
        return c;
    }

    private static List<String> iptables(String ns, String table, String chain, String peer, double percent,
                                         String target) {
        return new ArrayList<>(List.of("ip", "netns", "exec", ns, "iptables", "-w", "-t", table, "-A", chain, "-d",
                peer, "-m", "statistic", "--mode", "random", "--probability",
                String.format(java.util.Locale.ROOT, "%.3f", percent / 100.0), "-j", target));
    }
}
