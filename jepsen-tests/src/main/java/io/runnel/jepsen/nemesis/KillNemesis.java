package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.cluster.ServerNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** SIGKILL of the chosen nodes (a crash: nothing flushed); the fault's end restarts them. */
public final class KillNemesis implements Nemesis {
    private final NemesisContext ctx;
    private final List<Integer> killed = new ArrayList<>();

    public KillNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "kill";
    }

    @Override
    public Fault start(Random random) throws Exception {
        NemesisContext.Targets t = ctx.targets(random);
        for (int id : t.nodes()) {
            ServerNode n = ctx.cluster().node(id);
            if (n.state() != ServerNode.State.DEAD) {
                n.kill();
                killed.add(id);
            }
        }
        return killed.isEmpty() ? null : new Fault("kill -9 " + t.describe(), killed);
    }

    @Override
    public Fault stop() throws Exception {
        if (killed.isEmpty()) {
            return null;
        }
        List<Integer> restarted = List.copyOf(killed);
        for (int id : restarted) {
            ctx.cluster().node(id).start();
        }
        killed.clear();
        return new Fault("restart " + String.join(",", restarted.stream().map(n -> "n" + n).toList()), restarted);
    }
}
