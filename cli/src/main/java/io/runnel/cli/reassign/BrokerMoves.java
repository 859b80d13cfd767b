package io.runnel.cli.reassign;

import io.runnel.cli.CliException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ElectionNotNeededException;

/**
 * Runnel's {@code --add-broker N} and {@code --remove-broker N}: plans the moves from the cluster's current assignment
 * ({@link ReassignmentPlanner}), shows them as a table with {@code --dry-run}, or starts them, follows them with a
 * progress line until every partition finished, and then elects the preferred leaders (ElectLeaders, KIP-183) of the
 * partitions whose preferred leader changed, so leadership spreads as the plan says. {@code --remove-broker} of a
 * broker that is already gone (fenced) also unregisters it (UnregisterBroker); a running broker is left registered
 * until it is stopped and {@code runnel cluster unregister} removes it.
 */
final class BrokerMoves {
    private final Admin admin;
    private final PrintWriter out;
    private final ReassignActions actions;
    private final boolean terminal;

    BrokerMoves(Admin admin, PrintWriter out, ReassignActions actions, boolean terminal) {
        this.admin = admin;
        this.out = out;
        this.actions = actions;
        this.terminal = terminal;
    }

    /**
     * Plans and (unless {@code dryRun}) runs the moves for {@code broker}.
     *
     * @param add      true for {@code --add-broker}, false for {@code --remove-broker}
     * @param throttle the inter-broker throttle, bytes/s, or -1 for none
     * @throws CliException an unregistered broker to add; reassignments already running; a removal that would leave a
     *                      partition below its replication factor (naming each); any failure of the reassignment
     *                      itself
     */
    void run(int broker, boolean add, boolean dryRun, long throttle) throws ExecutionException, InterruptedException {
        Map<Integer, String> brokers = ClusterAssignment.brokers(admin);
        if (add && !brokers.containsKey(broker)) {
            throw new CliException("broker " + broker + " is not registered (registered: "
                    + PlanTable.ids(brokers.keySet()) + "); start it first");
        }
        Set<TopicPartition> running = admin.listPartitionReassignments().reassignments().get().keySet();
        if (!running.isEmpty()) {
            // planned against replica lists that are still changing, the moves could undo or double those
            throw new CliException("Cannot plan " + (add ? "--add-broker" : "--remove-broker") + " while "
                    + running.size() + " partition reassignment(s) run (" + PlanTable.sorted(running).get(0)
                    + (running.size() > 1 ? ", ..." : "") + "): wait until --list shows none, or --cancel them,"
                    + " then run it again");
        }
        Map<TopicPartition, List<Integer>> current = ClusterAssignment.all(admin);
        Set<Integer> candidates = new TreeSet<>(brokers.keySet());
        Map<TopicPartition, List<Integer>> plan;
        try {
            plan = add ? ReassignmentPlanner.addBroker(current, broker, candidates)
                    : ReassignmentPlanner.removeBroker(current, broker, candidates);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        if (plan.isEmpty()) {
            out.println(add ? "Nothing to move: broker " + broker + " already holds its share of replicas and leaders."
                    : "Nothing to move: broker " + broker + " holds no replica.");
            out.flush();
            return;
        }
        if (dryRun) {
            PlanTable.print(out, current, plan);
            out.println("DRY RUN: no change was made.");
            out.flush();
            return;
        }
        actions.execute(plan, throttle, false);
        out.println("The reassignment runs in the cluster; interrupting this command does not stop it"
                + " (--cancel with the rollback file above does).");
        out.flush();
        new ReassignmentWatcher(admin, plan.keySet(), out, terminal).await();
        electPreferred(plan);
        if (throttle >= 0) {
            ReplicationThrottles.clear(admin, ReplicationThrottles.brokers(current, plan),
                    ReplicationThrottles.topics(plan.keySet()), out);
        }
        if (add) {
            out.println("Broker " + broker + " now holds its share of replicas.");
        } else {
            finishRemoval(broker);
        }
        out.flush();
    }

    /**
     * After {@code --remove-broker}: a broker that is already gone (fenced) is unregistered (UnregisterBroker);
     * a running one is left registered, with the two steps that remain.
     */
    private void finishRemoval(int broker) throws ExecutionException, InterruptedException {
        boolean fenced = admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(true)).nodes().get()
                .stream().anyMatch(n -> n.id() == broker && n.isFenced());
        if (fenced) {
            admin.unregisterBroker(broker).all().get();
            out.println("Broker " + broker + " now holds no replica and is no longer registered.");
        } else {
            out.println("Broker " + broker + " now holds no replica. Stop it, then remove its registration with:"
                    + " bin/runnel cluster unregister --bootstrap-server <broker> --id " + broker);
        }
    }

    /** Elects the preferred leader of each planned partition whose current leader is not its first replica. */
    private void electPreferred(Map<TopicPartition, List<Integer>> plan)
            throws ExecutionException, InterruptedException {
        Map<String, TopicDescription> described = admin.describeTopics(ReplicationThrottles.topics(plan.keySet()))
                .allTopicNames().get();
        Set<TopicPartition> elect = new TreeSet<>(PlanTable.ORDER);
        plan.forEach((tp, replicas) -> {
            var leader = described.get(tp.topic()).partitions().get(tp.partition()).leader();
            if (leader == null || leader.id() != replicas.get(0)) {
                elect.add(tp);
            }
        });
        if (elect.isEmpty()) {
            return;
        }
        int elected = 0;
        for (var e : admin.electLeaders(ElectionType.PREFERRED, elect).partitions().get().entrySet()) {
            if (e.getValue().isEmpty()) {
                elected++;
            } else if (!(e.getValue().get() instanceof ElectionNotNeededException)) {
                out.println("Preferred leader election failed for " + e.getKey() + ": " + e.getValue().get()
                        .getMessage());
            }
        }
        out.println("Elected the preferred leader of " + elected + " partition(s).");
    }
}
