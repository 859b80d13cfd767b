package io.runnel.jepsen.run;

import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.cluster.JepsenCluster;
import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.host.Hosts;
import io.runnel.jepsen.host.LoopbackHosts;
import io.runnel.jepsen.host.NetnsHosts;
import io.runnel.jepsen.nemesis.ClockNemesis;
import io.runnel.jepsen.nemesis.KillNemesis;
import io.runnel.jepsen.nemesis.MembershipNemesis;
import io.runnel.jepsen.nemesis.Nemesis;
import io.runnel.jepsen.nemesis.NemesisContext;
import io.runnel.jepsen.nemesis.NemesisEvent;
import io.runnel.jepsen.nemesis.NemesisRunner;
import io.runnel.jepsen.nemesis.NemesisSchedule;
import io.runnel.jepsen.nemesis.PacketNemesis;
import io.runnel.jepsen.nemesis.PartitionNemesis;
import io.runnel.jepsen.nemesis.PauseNemesis;
import io.runnel.jepsen.report.Plots;
import io.runnel.jepsen.report.ResultsJson;
import io.runnel.jepsen.report.RunInfo;
import io.runnel.jepsen.report.Summary;
import io.runnel.jepsen.report.NemesisTimeline;
import io.runnel.jepsen.workload.KvConfig;
import io.runnel.jepsen.workload.KvWorkload;
import io.runnel.jepsen.workload.QueueConfig;
import io.runnel.jepsen.workload.QueueWorkload;
import io.runnel.jepsen.workload.TxnConfig;
import io.runnel.jepsen.workload.TxnWorkload;
import io.runnel.jepsen.workload.Workload;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault-injection run: hosts (a network namespace per node, or loopback), a cluster of real Runnel processes,
 * the workload ({@code queue}, {@code kv} or {@code txn}), the nemeses on the seed's schedule, the heal, the final drain, the
 * workload's checker and the results directory (history.jsonl, nemesis.jsonl, nodes/n*&#47;*.log, results.json,
 * summary.txt, rate.png, latency.png).
 * A Ctrl-C (or any exit of the JVM) kills the nodes and removes the namespaces through a shutdown hook.
 */
public final class JepsenRun {
    /** The queue workload's topic. */
    public static final String TOPIC = "jepsen-queue";
    private static final Duration READY = Duration.ofSeconds(90);
    private static final Duration DRAIN = Duration.ofSeconds(90);

    private final RunOptions options;
    private final PrintStream out;
    private final boolean loopback;

    public JepsenRun(RunOptions options, PrintStream out) {
        this(options, out, false);
    }

    /**
     * For tests: {@code loopback} puts the nodes on 127.0.0.1 even when network namespaces could be made (e.g. while
     * another run holds them); the options must then name no network nemesis.
     */
    JepsenRun(RunOptions options, PrintStream out, boolean loopback) {
        this.options = options;
        this.out = out;
        this.loopback = loopback;
    }

    /** Runs it, start to verdict. */
    public RunOutcome execute() throws Exception {
        long startedAt = System.currentTimeMillis();
        Path dir = options.resultsDir().resolve(LocalDateTime.now().format(
                DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-seed" + options.seed());
        Files.createDirectories(dir);
        boolean netns = !loopback && NetnsHosts.missing() == null;
        Hosts hosts = netns ? new NetnsHosts(options.nodes(), NetnsHosts.DEFAULT_PREFIX)
                : new LoopbackHosts(options.nodes());
        JepsenCluster[] cluster = new JepsenCluster[1];
        Thread hook = new Thread(() -> {
            if (cluster[0] != null) {
                cluster[0].killAll();
            }
            hosts.close();
        }, "jepsen-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Map<Integer, Path> clocks = new LinkedHashMap<>();
            if (options.nemeses().contains("clock")) {
                for (int id = 1; id <= options.nodes(); id++) {
                    Files.createDirectories(dir.resolve("nodes/n" + id));
                    clocks.put(id, dir.resolve("nodes/n" + id + "/faketime"));
                }
            }
            Map<String, String> env = Map.of("RUNNEL_SKIP_BUILD", "1", "RUNNEL_CLASSPATH", options.serverClasspath(),
                    "JAVA_HOME", System.getProperty("java.home"), "RUNNEL_HEAP_OPTS", "-Xmx512m");
            List<String> launcher = List.of(options.runnelHome().resolve("bin/runnel").toString(), "server-start");
            Map<String, String> serverProps = new LinkedHashMap<>(kv() ? KvWorkload.SERVER_DEFAULTS : Map.of());
            serverProps.putAll(options.serverProps());
            cluster[0] = new JepsenCluster(hosts, options.nodes(), dir, launcher, env, serverProps, clocks);
            return run(dir, hosts, cluster[0], clocks, startedAt);
        } finally {
            if (cluster[0] != null) {
                cluster[0].close();
            }
            hosts.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }
    }

    private RunOutcome run(Path dir, Hosts hosts, JepsenCluster cluster, Map<Integer, Path> clocks, long startedAt)
            throws Exception {
        out.printf("jepsen: %d nodes (%s), workload %s, nemesis %s, %d s, %d ops/s, seed %d -> %s%n",
                options.nodes(), hosts.kind(), options.workload(),
                options.nemeses().isEmpty() ? "none" : String.join(",", options.nemeses()),
                options.timeLimitSeconds(), options.rate(), options.seed(), dir);
        String topic = kv() ? KvWorkload.TOPIC : txn() ? TxnWorkload.TOPIC : TOPIC;
        cluster.start(READY);
        cluster.createTopic(topic, options.partitions(), kv() ? KvWorkload.TOPIC_CONFIGS
                : txn() ? TxnWorkload.TOPIC_CONFIGS : Map.of(), READY);
        out.println("jepsen: cluster up, topic " + topic + " has leaders; starting the workload");

        long runStart = System.nanoTime();
        List<NemesisEvent> events = Collections.synchronizedList(new ArrayList<>());
        try (History history = new History(dir.resolve("history.jsonl"), runStart);
             NemesisTimeline timeline = new NemesisTimeline(dir.resolve("nemesis.jsonl"))) {
            NemesisContext ctx = new NemesisContext(cluster, hosts, topic);
            NemesisRunner nemesis = new NemesisRunner(
                    NemesisSchedule.draw(options.nemeses(), options.seed(), options.timeLimitSeconds() * 1000L,
                            options.nemesisIntervalSeconds() * 1000L),
                    nemeses(ctx, clocks), history::now, e -> {
                        events.add(e);
                        timeline.append(e);
                        out.printf("jepsen: %6.1f s %s %s: %s%n", e.time() / 1e9, e.nemesis(), e.action(),
                                e.description());
                    }, line -> out.println("jepsen: " + line));
            Workload workload = workload(topic, cluster.bootstrap(), history);
            workload.start();
            Thread nemesisThread = new Thread(nemesis, "jepsen-nemesis");
            nemesisThread.start();
            Progress.report(out, history, nemesis, options.timeLimitSeconds());
            nemesisThread.interrupt();
            nemesisThread.join(30_000);
            nemesis.healAll();
            out.println("jepsen: time limit reached; healed every fault, stopping the workload");
            workload.stop();
            for (var n : cluster.nodes()) {
                n.start();
            }
            List<Integer> crashed = cluster.crashed();
            awaitHealthy(cluster, topic);
            out.println("jepsen: cluster healthy; final drain");
            workload.finalRead(DRAIN, line -> out.println("jepsen: " + line));
            List<Op> ops = history.ops();
            CheckResult result = workload.check(ops);
            RunInfo info = new RunInfo(options.seed(), options.nodes(), options.workload(), options.nemeses(),
                    options.timeLimitSeconds(), options.rate(), hosts.kind(), startedAt,
                    System.currentTimeMillis() - startedAt);
            List<NemesisEvent> timelineEvents = List.copyOf(events);
            ResultsJson.write(dir.resolve("results.json"), info, result, timelineEvents);
            String summary = Summary.text(info, result, timelineEvents);
            if (!crashed.isEmpty()) {
                summary += "\nNodes that exited by themselves (see their logs): " + crashed + "\n";
            }
            Files.writeString(dir.resolve("summary.txt"), summary);
            try {
                Plots.rate(ops, timelineEvents, dir.resolve("rate.png"));
                Plots.latency(ops, timelineEvents, dir.resolve("latency.png"));
            } catch (RuntimeException | LinkageError e) {
                out.println("jepsen: could not draw the plots: " + e);
            }
            out.print(summary);
            return new RunOutcome(options.seed(), dir, ops.size(), nemesis.started(), result, crashed);
        }
    }

    private boolean kv() {
        return options.workload().equals("kv");
    }

    private boolean txn() {
        return options.workload().equals("txn");
    }

    private Workload workload(String topic, String bootstrap, History history) {
        if (txn()) {
            return new TxnWorkload(new TxnConfig(topic, options.partitions(), options.producers(), options.rate(),
                    TxnConfig.DEFAULT_ABORT_ONE_IN, bootstrap), history, options.seed());
        }
        if (kv()) {
            return new KvWorkload(new KvConfig(topic, options.partitions(), options.keys(), options.producers(),
                    options.assigners(), options.rate(), options.acks(), bootstrap), history, options.seed());
        }
        return new QueueWorkload(new QueueConfig(topic, options.partitions(), options.producers(),
                options.assigners(), options.subscribers(), options.rate(), options.acks(), bootstrap), history,
                options.seed());
    }

    private static void awaitHealthy(JepsenCluster cluster, String topic) throws InterruptedException {
        try {
            JepsenCluster.await("every node listening", READY,
                    () -> cluster.nodes().stream().allMatch(n -> n.listening()));
            JepsenCluster.await("a leader for every partition", READY, () -> {
                var ps = cluster.describe(topic);
                return ps != null && ps.stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty());
            });
        } catch (IllegalStateException e) {
            // the drain retries until its own limit and reports what it could not read
        }
    }

    private List<Nemesis> nemeses(NemesisContext ctx, Map<Integer, Path> clocks) {
        List<Nemesis> list = new ArrayList<>();
        for (String name : options.nemeses()) {
            list.add(switch (name) {
                case "partition" -> new PartitionNemesis(ctx, options.partitionShapes());
                case "packet" -> new PacketNemesis(ctx);
                case "kill" -> new KillNemesis(ctx);
                case "pause" -> new PauseNemesis(ctx);
                case "clock" -> new ClockNemesis(ctx, clocks);
                case "membership" -> new MembershipNemesis(ctx);
                default -> throw new IllegalArgumentException("unknown nemesis " + name);
            });
        }
        return list;
    }
}
