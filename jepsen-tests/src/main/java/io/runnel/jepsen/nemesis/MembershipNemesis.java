package io.runnel.jepsen.nemesis;

import io.runnel.jepsen.cluster.ServerNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.RaftVoterEndpoint;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.DuplicateVoterException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Membership changes while the workload runs (issue 12), through the same Admin APIs as {@code bin/runnel
 * reassign-partitions} and {@code bin/runnel metadata-quorum add-controller/remove-controller}. Each start draws one:
 * <ul>
 *   <li>{@code reassign}: one partition of the workload's topic gets a new random replica set of the same size
 *       (KIP-455; a mere reordering when the cluster has no other nodes), which its new replicas copy while the
 *       workload writes; nothing to undo;</li>
 *   <li>{@code drain}: every replica of one node moves to other nodes (as {@code --remove-broker} does), when the
 *       cluster has more nodes than the topic's replication factor; the fault's end moves them back;</li>
 *   <li>{@code remove-voter}: one controller leaves the Ratis quorum (KIP-853 RemoveRaftVoter; it keeps following
 *       the log, so its broker stays current), when at least three voters remain; the fault's end adds it back
 *       (AddRaftVoter). Should Ratis have closed the removed member (it could not hear the leader when it was
 *       removed, started an election and was told to shut down), its broker switches to fetching the log and the
 *       node is restarted, as an operator would, before the add is retried;</li>
 * </ul>
 * Calls that fail under other faults (a partitioned or killed controller) are reported as such; a call that timed out
 * may still have happened, so the fault's end undoes it anyway (DUPLICATE_VOTER counts as done). What could not be
 * undone is retried at the next step, before any new change.
 */
public final class MembershipNemesis implements Nemesis {
    private static final long CALL_TIMEOUT_S = 15;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    /** What a combined node logs when its broker lost its local quorum member (CombinedMetadataSource). */
    static final String LOST_MEMBER_LINE = "lost its local metadata quorum member";

    private final NemesisContext ctx;
    /** Replicas before the active drain, of the partitions it moved. */
    private Map<TopicPartition, List<Integer>> drained = Map.of();
    private int drainedNode = -1;
    /** Voters removed and not yet added back (a failed add is retried at the next step). */
    private final List<Integer> removedVoters = new ArrayList<>();

    public MembershipNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    /** An Admin client whose calls may take the time a membership change takes (the run's own gives up sooner). */
    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, ctx.cluster().bootstrap(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_S),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(CALL_TIMEOUT_S)));
    }

    @Override
    public String name() {
        return "membership";
    }

    @Override
    public Fault start(Random random) throws Exception {
        int kind = random.nextInt(3);
        List<Integer> order = ctx.shuffled(random);
        long pick = random.nextLong();
        if (!removedVoters.isEmpty() || !drained.isEmpty()) {
            return undo(); // what an earlier step could not undo comes first
        }
        List<TopicPartitionInfo> partitions = ctx.cluster().describe(ctx.topic());
        if (partitions == null || partitions.isEmpty()) {
            return null;
        }
        int rf = Math.min(3, ctx.size()); // the workload topic's replication factor (JepsenCluster.createTopic)
        try (Admin admin = admin()) {
            if (kind == 2) {
                return removeVoter(admin, order);
            }
            if (kind == 1 && ctx.size() > rf) {
                return drain(admin, order.get(0), partitions, new Random(pick), rf);
            }
            return reassign(admin, partitions.get(Math.floorMod((int) pick, partitions.size())), order, rf);
        }
    }

    @Override
    public Fault stop() throws Exception {
        return undo();
    }

    /** Adds back every removed voter and moves drained replicas back; null when nothing was to undo. */
    private Fault undo() throws InterruptedException {
        if (removedVoters.isEmpty() && drained.isEmpty()) {
            return null;
        }
        List<String> done = new ArrayList<>();
        Set<Integer> nodes = new TreeSet<>(removedVoters);
        try (Admin admin = admin()) {
            for (int id : List.copyOf(removedVoters)) {
                try {
                    admin.addRaftVoter(id, Uuid.ZERO_UUID, Set.of(new RaftVoterEndpoint(CONTROLLER_LISTENER,
                            ctx.hosts().address(id), ctx.hosts().controllerPort(id)))).all()
                            .get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
                    done.add("add voter n" + id);
                    removedVoters.remove(Integer.valueOf(id));
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof DuplicateVoterException) {
                        done.add("add voter n" + id + " (already a voter)");
                        removedVoters.remove(Integer.valueOf(id));
                    } else {
                        done.add("add voter n" + id + " failed: " + message(e) + " (retried at the next step)"
                                + restartIfMemberLost(id));
                    }
                } catch (java.util.concurrent.TimeoutException e) {
                    done.add("add voter n" + id + " failed: " + message(e) + " (retried at the next step)"
                            + restartIfMemberLost(id));
                }
            }
            if (!drained.isEmpty()) {
                nodes.add(drainedNode);
                try {
                    move(admin, drained);
                    done.add("move " + drained.size() + " replica(s) back to n" + drainedNode + ": "
                            + describe(drained));
                    drained = Map.of();
                    drainedNode = -1;
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    done.add("move replicas back to n" + drainedNode + " failed: " + message(e)
                            + " (retried at the next step)");
                }
            }
        }
        return new Fault(String.join("; ", done), List.copyOf(nodes));
    }

    /**
     * The operator's remedy when Ratis closed a removed controller's quorum member (it started an election while it
     * could not hear the leader, and a voter told it to shut down): the node's broker keeps serving by fetching the
     * log from the active controller, but its controller can only come back after a restart, so AddRaftVoter keeps
     * timing out. Restarts node {@code id} (SIGTERM, then SIGKILL) when its log says so.
     *
     * @return what was done, to append to the fault's description ("" when nothing)
     */
    private String restartIfMemberLost(int id) throws InterruptedException {
        ServerNode node = ctx.cluster().node(id);
        if (!node.logged(LOST_MEMBER_LINE)) {
            return "";
        }
        node.stop(10_000);
        try {
            node.start();
            return "; restarted n" + id + " (its quorum member was closed by Ratis)";
        } catch (java.io.IOException e) {
            return "; restarting n" + id + " failed: " + e.getMessage();
        }
    }

    private Fault reassign(Admin admin, TopicPartitionInfo p, List<Integer> order, int rf) {
        List<Integer> current = target(p, rf);
        List<Integer> target = new ArrayList<>(order.subList(0, current.size()));
        if (new TreeSet<>(target).equals(new TreeSet<>(current)) && target.equals(current)) {
            Collections.rotate(target, 1);
        }
        TopicPartition tp = new TopicPartition(ctx.topic(), p.partition());
        Set<Integer> touched = new TreeSet<>(current);
        touched.addAll(target);
        String what = "reassign " + tp + ": " + ids(current) + " -> " + ids(target);
        try {
            move(admin, Map.of(tp, target));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Fault(what + " failed: " + message(e), List.copyOf(touched));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        return new Fault(what, List.copyOf(touched));
    }

    private Fault drain(Admin admin, int node, List<TopicPartitionInfo> partitions, Random random, int rf) {
        Map<TopicPartition, List<Integer>> before = new LinkedHashMap<>();
        Map<TopicPartition, List<Integer>> after = new LinkedHashMap<>();
        for (TopicPartitionInfo p : partitions) {
            List<Integer> current = target(p, rf);
            int at = current.indexOf(node);
            if (at < 0) {
                continue;
            }
            List<Integer> others = new ArrayList<>();
            for (int id = 1; id <= ctx.size(); id++) {
                if (!current.contains(id)) {
                    others.add(id);
                }
            }
            List<Integer> target = new ArrayList<>(current);
            target.set(at, others.get(random.nextInt(others.size())));
            TopicPartition tp = new TopicPartition(ctx.topic(), p.partition());
            before.put(tp, current);
            after.put(tp, target);
        }
        if (after.isEmpty()) {
            return null;
        }
        drained = before;
        drainedNode = node;
        String what = "drain n" + node + ": " + describe(after);
        try {
            move(admin, after);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return new Fault(what + " failed: " + message(e), List.of(node));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Fault(what, List.of(node));
    }

    private Fault removeVoter(Admin admin, List<Integer> order) throws InterruptedException {
        Set<Integer> voters = new LinkedHashSet<>();
        try {
            admin.describeMetadataQuorum().quorumInfo().get(CALL_TIMEOUT_S, TimeUnit.SECONDS).voters()
                    .forEach(v -> voters.add(v.replicaId()));
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return null;
        }
        if (voters.size() < 3) {
            return null;
        }
        int id = order.stream().filter(voters::contains).findFirst().orElse(-1);
        if (id < 0) {
            return null;
        }
        removedVoters.add(id);
        try {
            admin.removeRaftVoter(id, Uuid.ZERO_UUID).all().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            if (e instanceof ExecutionException && !(e.getCause() instanceof RetriableException)) {
                removedVoters.remove(Integer.valueOf(id)); // refused (e.g. VOTER_NOT_FOUND): certainly not removed
            }
            return new Fault("remove voter n" + id + " failed: " + message(e), List.of(id));
        }
        return new Fault("remove voter n" + id + " (of " + ids(new ArrayList<>(voters)) + ")", List.of(id));
    }

    /**
     * A partition's replicas, or the target of the reassignment it is in: while one runs, Metadata lists the target
     * replicas first and then those being removed (KIP-455), so the first {@code rf} are the target.
     */
    private static List<Integer> target(TopicPartitionInfo p, int rf) {
        List<Integer> all = p.replicas().stream().map(n -> n.id()).toList();
        return all.size() > rf ? all.subList(0, rf) : all;
    }

    private static void move(Admin admin, Map<TopicPartition, List<Integer>> targets)
            throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        targets.forEach((tp, r) -> request.put(tp, Optional.of(new NewPartitionReassignment(r))));
        admin.alterPartitionReassignments(request).all().get(CALL_TIMEOUT_S, TimeUnit.SECONDS);
    }

    private static String describe(Map<TopicPartition, List<Integer>> moves) {
        List<String> parts = new ArrayList<>();
        moves.forEach((tp, r) -> parts.add("p" + tp.partition() + " -> " + ids(r)));
        return String.join(", ", parts);
    }

    private static String ids(List<Integer> ids) {
        return String.join(",", ids.stream().map(String::valueOf).toList());
    }

    private static String message(Exception e) {
        Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
