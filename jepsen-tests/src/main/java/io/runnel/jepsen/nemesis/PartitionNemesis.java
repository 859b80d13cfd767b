package io.runnel.jepsen.nemesis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Cuts the network between nodes with one of {@link PartitionShapes}' grudges, applied as per-node iptables DROP
 * rules ({@link io.runnel.jepsen.host.Hosts#drop}); the run's clients keep reaching every node. The fault's end
 * removes every rule.
 */
public final class PartitionNemesis implements Nemesis {
    /** The shapes, in the order the schedule draws from. */
    public static final List<String> SHAPES = List.of("isolate-one", "isolate-leader", "isolate-controller",
            "halves", "bridge", "majorities-ring");

    private final NemesisContext ctx;
    private final List<String> shapes;
    private boolean active;

    /** @param shapes the shapes to draw from, a non-empty subset of {@link #SHAPES} */
    public PartitionNemesis(NemesisContext ctx, List<String> shapes) {
        this.ctx = ctx;
        this.shapes = List.copyOf(shapes);
    }

    @Override
    public String name() {
        return "partition";
    }

    @Override
    public Fault start(Random random) {
        int n = ctx.size();
        String shape = shapes.get(random.nextInt(shapes.size()));
        int any = 1 + random.nextInt(n);
        Map<Integer, Set<Integer>> grudge;
        String label = shape;
        switch (shape) {
            case "isolate-leader" -> {
                int leader = ctx.cluster().leader(ctx.topic(), 0);
                label = leader > 0 ? "isolate n" + leader + " (partition-0 leader)" : "isolate n" + any;
                grudge = PartitionShapes.isolate(leader > 0 ? leader : any, n);
            }
            case "isolate-controller" -> {
                int controller = ctx.cluster().activeController();
                label = controller > 0 ? "isolate n" + controller + " (active controller)" : "isolate n" + any;
                grudge = PartitionShapes.isolate(controller > 0 ? controller : any, n);
            }
            case "halves" -> grudge = PartitionShapes.halves(n, random);
            case "bridge" -> grudge = PartitionShapes.bridge(n, random);
            case "majorities-ring" -> {
                grudge = PartitionShapes.majoritiesRing(n, random);
                if (grudge == null) {
                    label = "halves (no symmetric ring of " + n + ")";
                    grudge = PartitionShapes.halves(n, random);
                }
            }
            default -> {
                label = "isolate n" + any;
                grudge = PartitionShapes.isolate(any, n);
            }
        }
        List<Integer> touched = new ArrayList<>();
        grudge.forEach((node, drops) -> {
            if (!drops.isEmpty()) {
                ctx.hosts().drop(node, drops);
                touched.add(node);
            }
        });
        active = true;
        return new Fault(label + ": " + PartitionShapes.describe(grudge), touched);
    }

    @Override
    public Fault stop() {
        if (!active) {
            return null;
        }
        ctx.hosts().heal();
        active = false;
        List<Integer> all = new ArrayList<>();
        for (int id = 1; id <= ctx.size(); id++) {
            all.add(id);
        }
        return new Fault("heal the network", all);
    }
}
