package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.cluster.ServerNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** SIGSTOP of the chosen nodes (a long GC pause, a hung VM: sockets stay open); the fault's end sends SIGCONT. */
public final class PauseNemesis implements Nemesis {
    private final NemesisContext ctx;
    private final List<Integer> paused = new ArrayList<>();

    public PauseNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "pause";
    }

    @Override
    public Fault start(Random random) {
        NemesisContext.Targets t = ctx.targets(random);
        for (int id : t.nodes()) {
            ServerNode n = ctx.cluster().node(id);
            if (n.state() == ServerNode.State.RUNNING) {
                n.pause();
                paused.add(id);
            }
        }
        return paused.isEmpty() ? null : new Fault("SIGSTOP " + t.describe(), paused);
    }

    @Override
    public Fault stop() {
        if (paused.isEmpty()) {
            return null;
        }
        List<Integer> resumed = List.copyOf(paused);
        resumed.forEach(id -> ctx.cluster().node(id).resume());
        paused.clear();
        return new Fault("SIGCONT " + String.join(",", resumed.stream().map(n -> "n" + n).toList()), resumed);
    }
}
