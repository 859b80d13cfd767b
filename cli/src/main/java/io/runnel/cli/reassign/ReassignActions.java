package io.runnel.cli.reassign;

import io.runnel.cli.CliException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterPartitionReassignmentsOptions;
import org.apache.kafka.clients.admin.NewPartitionReassignment;
import org.apache.kafka.clients.admin.PartitionReassignment;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The actions of {@code runnel reassign-partitions} that Kafka's {@code kafka-reassign-partitions.sh} has, with its
 * output lines: {@code --generate}, {@code --execute}, {@code --verify}, {@code --cancel}, {@code --list}. Each runs
 * against one Admin client (AlterPartitionReassignments 45 and ListPartitionReassignments 46, KIP-455).
 */
final class ReassignActions {
    private final Admin admin;
    private final PrintWriter out;
    private final int timeoutMs;

    /** @param timeoutMs how long the controller may take to accept a reassignment, ms ({@code --timeout}) */
    ReassignActions(Admin admin, PrintWriter out, int timeoutMs) {
        this.admin = admin;
        this.out = out;
        this.timeoutMs = timeoutMs;
    }

    /** {@code --generate}: prints the current assignment of the topics and a proposal over {@code brokers}. */
    void generate(List<String> topics, List<Integer> brokers, boolean rackAware)
            throws ExecutionException, InterruptedException {
        Map<Integer, String> registered = ClusterAssignment.brokers(admin);
        for (int b : brokers) {
            if (!registered.containsKey(b)) {
                throw new CliException("Unknown broker id " + b + " (registered: "
                        + PlanTable.ids(registered.keySet()) + ")");
            }
        }
        Map<Integer, String> racks = new HashMap<>();
        registered.forEach((b, rack) -> {
            if (rack != null) {
                racks.put(b, rack);
            }
        });
        Map<TopicPartition, List<Integer>> current = ClusterAssignment.ofTopics(admin, topics);
        Map<TopicPartition, List<Integer>> proposed;
        try {
            proposed = ReassignmentPlanner.generate(current, brokers, racks, rackAware);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), e);
        }
        out.printf("Current partition replica assignment%n%s%n%n", ReassignmentJson.render(current));
        out.printf("Proposed partition reassignment configuration%n%s%n", ReassignmentJson.render(proposed));
    }

    /**
     * {@code --execute}: prints the current assignment (the rollback file), sets the throttle when
     * {@code throttle >= 0}, and starts the reassignment.
     *
     * @param additional whether to start although other reassignments are running ({@code --additional})
     * @return the current replicas of the target partitions, before the change
     * @throws CliException unknown brokers or partitions, a running reassignment without {@code additional}, or a
     *                      partition the controller refused (its Kafka error message)
     */
    Map<TopicPartition, List<Integer>> execute(Map<TopicPartition, List<Integer>> target, long throttle,
                                               boolean additional) throws ExecutionException, InterruptedException {
        Map<Integer, String> registered = ClusterAssignment.brokers(admin);
        target.values().stream().flatMap(List::stream).distinct().sorted().forEach(b -> {
            if (!registered.containsKey(b)) {
                throw new CliException("Unknown broker id " + b);
            }
        });
        Map<TopicPartition, List<Integer>> current = ClusterAssignment.of(admin, target.keySet());
        if (!additional && !admin.listPartitionReassignments().reassignments().get().isEmpty()) {
            throw new CliException("Cannot execute because there is an existing partition assignment. Use"
                    + " --additional to override this and create a new partition assignment in addition to the"
                    + " existing one. The --additional flag can also be used to change the throttle by resubmitting"
                    + " the current reassignment.");
        }
        out.printf("Current partition replica assignment%n%n%s%n%n", ReassignmentJson.render(current));
        out.println("Save this to use as the --reassignment-json-file option during rollback");
        if (throttle >= 0) {
            ReplicationThrottles.set(admin, current, target, throttle);
            out.println("Warning: You must run --verify periodically, until the reassignment completes, to ensure"
                    + " the throttle is removed.");
            out.println("The inter-broker throttle limit was set to " + throttle + " B/s");
        }
        Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
        target.forEach((tp, r) -> request.put(tp, Optional.of(new NewPartitionReassignment(r))));
        Map<TopicPartition, String> errors = submit(request);
        if (!errors.isEmpty()) {
            throw new CliException(errorLines("Error reassigning partition", errors));
        }
        List<TopicPartition> started = PlanTable.sorted(target.keySet());
        out.printf("Successfully started partition reassignment%s for %s%n", started.size() == 1 ? "" : "s",
                String.join(",", started.stream().map(TopicPartition::toString).toList()));
        out.flush();
        return current;
    }

    /**
     * {@code --verify}: one line per partition (completed, still in progress, or a different replica set), then,
     * when none is in progress and {@code preserveThrottles} is false, clears the throttles.
     *
     * @return true when every partition of {@code target} is complete
     */
    boolean verify(Map<TopicPartition, List<Integer>> target, boolean preserveThrottles)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, PartitionReassignment> active = admin
                .listPartitionReassignments(target.keySet()).reassignments().get();
        Map<TopicPartition, List<Integer>> current = ClusterAssignment.of(admin, target.keySet());
        out.println("Status of partition reassignment:");
        boolean allComplete = true;
        for (TopicPartition tp : PlanTable.sorted(target.keySet())) {
            List<Integer> want = target.get(tp);
            if (active.containsKey(tp)) {
                out.printf("Reassignment of partition %s is still in progress.%n", tp);
                allComplete = false;
            } else if (current.get(tp).equals(want)) {
                out.printf("Reassignment of partition %s is completed.%n", tp);
            } else {
                out.printf("There is no active reassignment of partition %s, but replica set is %s rather than %s.%n",
                        tp, PlanTable.ids(current.get(tp)), PlanTable.ids(want));
                allComplete = false;
            }
        }
        if (active.isEmpty() && !preserveThrottles) {
            out.println();
            ReplicationThrottles.clear(admin, ReplicationThrottles.brokers(current, target),
                    ReplicationThrottles.topics(target.keySet()), out);
        }
        out.flush();
        return allComplete;
    }

    /** {@code --cancel}: cancels the running reassignments of {@code target}'s partitions, then clears throttles. */
    void cancel(Map<TopicPartition, List<Integer>> target, boolean preserveThrottles)
            throws ExecutionException, InterruptedException {
        Set<TopicPartition> active = admin.listPartitionReassignments(target.keySet()).reassignments().get().keySet();
        if (active.isEmpty()) {
            out.println("None of the specified partition reassignments are active.");
        } else {
            Map<TopicPartition, Optional<NewPartitionReassignment>> request = new LinkedHashMap<>();
            active.forEach(tp -> request.put(tp, Optional.empty()));
            Map<TopicPartition, String> errors = submit(request);
            if (!errors.isEmpty()) {
                throw new CliException(errorLines("Error cancelling partition", errors));
            }
            List<TopicPartition> done = PlanTable.sorted(active);
            out.printf("Successfully cancelled partition reassignment%s for: %s%n", done.size() == 1 ? "" : "s",
                    String.join(",", done.stream().map(TopicPartition::toString).toList()));
        }
        if (!preserveThrottles) {
            Map<TopicPartition, List<Integer>> current = ClusterAssignment.of(admin, target.keySet());
            ReplicationThrottles.clear(admin, ReplicationThrottles.brokers(current, target),
                    ReplicationThrottles.topics(target.keySet()), out);
        }
        out.flush();
    }

    /** {@code --list}: every running reassignment, Kafka's lines. */
    void list() throws ExecutionException, InterruptedException {
        Map<TopicPartition, PartitionReassignment> active = admin.listPartitionReassignments().reassignments().get();
        if (active.isEmpty()) {
            out.println("No partition reassignments found.");
            out.flush();
            return;
        }
        out.println("Current partition reassignments:");
        for (TopicPartition tp : PlanTable.sorted(active.keySet())) {
            PartitionReassignment r = active.get(tp);
            out.printf("%s: replicas: %s.%s%s%n", tp, PlanTable.ids(r.replicas()),
                    r.addingReplicas().isEmpty() ? "" : " adding: " + PlanTable.ids(r.addingReplicas()) + ".",
                    r.removingReplicas().isEmpty() ? "" : " removing: " + PlanTable.ids(r.removingReplicas()) + ".");
        }
        out.flush();
    }

    /** Sends one AlterPartitionReassignments; partition -> error message for each refused partition. */
    private Map<TopicPartition, String> submit(Map<TopicPartition, Optional<NewPartitionReassignment>> request)
            throws InterruptedException {
        Map<TopicPartition, KafkaFuture<Void>> results = admin.alterPartitionReassignments(request,
                new AlterPartitionReassignmentsOptions().timeoutMs(timeoutMs)).values();
        Map<TopicPartition, String> errors = new LinkedHashMap<>();
        for (TopicPartition tp : PlanTable.sorted(results.keySet())) {
            try {
                results.get(tp).get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                errors.put(tp, cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
            }
        }
        return errors;
    }

    private static String errorLines(String what, Map<TopicPartition, String> errors) {
        List<String> lines = new ArrayList<>();
        lines.add(what + (errors.size() == 1 ? "" : "s") + ":");
        errors.forEach((tp, m) -> lines.add(tp + ": " + m));
        return String.join(System.lineSeparator(), lines);
    }
}
