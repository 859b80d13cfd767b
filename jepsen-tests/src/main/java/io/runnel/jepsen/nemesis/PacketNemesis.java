package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.host.Netem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Degrades the network between nodes on the chosen nodes' interfaces (only packets to other nodes; clients are
 * not touched): delay, loss, duplication, reordering, or all at once, with {@code tc netem} where the kernel has it
 * and htb + iptables where it does not ({@link io.runnel.jepsen.host.NetnsHosts}). The fault's end removes them.
 */
public final class PacketNemesis implements Nemesis {
    /** The behaviours, in the order the schedule draws from. */
    public static final List<Netem> BEHAVIOURS = List.of(
            new Netem(100, 50, 0, 0, 0),
            new Netem(0, 0, 20, 0, 0),
            new Netem(0, 0, 0, 20, 0),
            new Netem(50, 10, 0, 0, 30),
            new Netem(50, 25, 10, 10, 20));

    private final NemesisContext ctx;
    private final List<Integer> shaped = new ArrayList<>();

    public PacketNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "packet";
    }

    @Override
    public Fault start(Random random) {
        Netem netem = BEHAVIOURS.get(random.nextInt(BEHAVIOURS.size()));
        List<Integer> ids = ctx.shuffled(random);
        List<Integer> targets = new ArrayList<>(ids.subList(0, 1 + random.nextInt(ctx.size())));
        targets.sort(null);
        String how = "";
        for (int id : targets) {
            how = ctx.hosts().shape(id, netem, ids);
            shaped.add(id);
        }
        return new Fault(how + " on " + String.join(",", targets.stream().map(n -> "n" + n).toList()), targets);
    }

    @Override
    public Fault stop() {
        if (shaped.isEmpty()) {
            return null;
        }
        List<Integer> done = List.copyOf(shaped);
        done.forEach(id -> ctx.hosts().unshape(id));
        shaped.clear();
        return new Fault("remove packet faults", done);
    }
}
