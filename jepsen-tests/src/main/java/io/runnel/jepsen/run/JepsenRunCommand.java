package io.runnel.jepsen.run;

import io.runnel.jepsen.cluster.ClockControl;
import io.runnel.jepsen.host.NetnsHosts;
import io.runnel.jepsen.nemesis.Nemeses;
import io.runnel.jepsen.nemesis.PartitionNemesis;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code runnel jepsen run}: starts a local cluster, runs a workload under faults, checks the history. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start a local cluster of real Runnel processes (one network namespace per node when run as "
                + "root, else loopback), run a workload against it with kafka-clients while nemeses inject faults "
                + "on a schedule drawn from the seed, heal, read everything back and check the history.",
                "Exit code 0: every history valid; 1: an anomaly was found; 2: bad flags.",
                "", "Workloads (--workload):", "  queue       idempotent acks=all producers send unique integers to a "
                + "handful of partitions; assign and subscribe consumers poll; a final drain reads every partition",
                "  kv          a compacted topic (cleanup.policy=compact, the log cleaner active all along): each of "
                + "--keys keys is written by one of --producers writers with increasing versions; --assigners readers "
                + "make full passes; a final pass after the heal; checks lost updates and version regressions",
                "  txn         --producers workers each run transactions (1-4 sends and read_committed polls; about 1 "
                + "in 10 aborted on purpose) with a transactional producer and an assign consumer; read_committed "
                + "drains; checks aborted reads, lost writes, duplicates and G0/G1c cycles"},
        footer = {"", "Nemeses (--nemesis, comma-separated):",
                "  partition   " + "drop packets between nodes: isolate one node / the partition-0 leader / the "
                        + "active controller, majority/minority halves, a bridge, a ring of majorities",
                "  packet      tc netem between nodes: delay, loss, duplication, reordering, or all",
                "  kill        SIGKILL one node / the partition-0 leader / the active controller / a minority / "
                        + "a majority, restart them at the fault's end",
                "  pause       SIGSTOP the same targets, SIGCONT at the fault's end",
                "  clock       libfaketime: skew, bump (up to 262 s) or strobe node wall clocks",
                "partition and packet need root; without it the run says so and uses loopback with the others.",
                "", "Results: <results-dir>/<time>-seed<seed>/ holds history.jsonl, nemesis.jsonl, nodes/n*/ (logs),"
                + " results.json, summary.txt, rate.png and latency.png.",
                "After a crash of the run itself: bin/runnel jepsen cleanup."})
final class JepsenRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", paramLabel = "N", description = "Cluster size, at least 3 (default: ${DEFAULT-VALUE}).")
    int nodes = 5;

    @Option(names = "--workload", paramLabel = "NAME", description = "Workload: queue, kv or txn (default: "
            + "${DEFAULT-VALUE}).")
    String workload = "queue";

    @Option(names = "--nemesis", paramLabel = "LIST", split = ",",
            description = "Faults to inject, comma-separated: partition, packet, kill, pause, membership, clock, or none "
                    + "(default: partition,packet,kill,pause,clock).")
    List<String> nemesis = new ArrayList<>(List.of("partition", "packet", "kill", "pause", "clock"));

    @Option(names = "--partition-shapes", paramLabel = "LIST", split = ",",
            description = "The partition shapes to draw from (default: all): isolate-one, isolate-leader, "
                    + "isolate-controller, halves, bridge, majorities-ring.")
    List<String> partitionShapes = new ArrayList<>(PartitionNemesis.SHAPES);

    @Option(names = "--nemesis-interval", paramLabel = "SECONDS", description = "Mean seconds between two nemesis "
            + "steps, each a fault's start or stop; gaps are drawn from [0.5, 1.5] times it (default: "
            + "${DEFAULT-VALUE}).")
    int nemesisInterval = 10;

    @Option(names = "--time-limit", paramLabel = "SECONDS",
            description = "How long the workload runs under faults, in seconds (default: ${DEFAULT-VALUE}).")
    int timeLimit = 120;

    @Option(names = "--rate", paramLabel = "OPS", description = "Target operations per second (default: "
            + "${DEFAULT-VALUE}).")
    int rate = 200;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the fault schedule and the workload's "
            + "choices (default: random); a failing run's seed reproduces its schedule.")
    Long seed;

    @Option(names = "--runs", paramLabel = "N", description = "Repeat N times with seeds SEED, SEED+1, ... and print "
            + "a table of the verdicts (default: ${DEFAULT-VALUE}).")
    int runs = 1;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Where run directories go (default: "
            + "${DEFAULT-VALUE}).")
    Path resultsDir = Path.of("jepsen-results");

    @Option(names = "--partitions", paramLabel = "N", description = "Partitions of the workload's topic, Jepsen's "
            + "keys; kv: key k lives in partition k %% N (default: ${DEFAULT-VALUE}).")
    int partitions = 4;

    @Option(names = "--producers", paramLabel = "N", description = "Producer workers; kv: writers, each the only "
            + "writer of its keys; txn: workers, each with a transactional producer and a read_committed consumer "
            + "(default: ${DEFAULT-VALUE}).")
    int producers = 3;

    @Option(names = "--assigners", paramLabel = "N", description = "Consumers that assign every partition; kv: "
            + "readers making full passes over the topic (default: ${DEFAULT-VALUE}).")
    int assigners = 1;

    @Option(names = "--subscribers", paramLabel = "N", description = "Consumers that subscribe in one group; queue "
            + "only (default: ${DEFAULT-VALUE}).")
    int subscribers = 2;

    @Option(names = "--keys", paramLabel = "N", description = "kv only: how many keys, at least --producers "
            + "(default: ${DEFAULT-VALUE}).")
    int keys = 12;

    @Option(names = "--acks", paramLabel = "ACKS", description = "The producers' acks: all or 1 (default: "
            + "${DEFAULT-VALUE}; 1 is for negative controls and is not idempotent).")
    String acks = "all";

    @Option(names = "--server-prop", paramLabel = "KEY=VALUE", description = "A server property for every node, "
            + "repeatable, e.g. unclean.leader.election.enable=true.")
    List<String> serverProps = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        RunOptions options = validate();
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true);
        String missing = NetnsHosts.missing();
        if (missing != null) {
            List<String> network = options.nemeses().stream().filter(Nemeses.NETWORK::contains).toList();
            List<String> rest = options.nemeses().stream().filter(n -> !Nemeses.NETWORK.contains(n)).toList();
            out.println("runnel jepsen: " + missing + "; nodes run on loopback"
                    + (network.isEmpty() ? "" : ", without " + String.join(",", network)));
            if (!network.isEmpty() && rest.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "nothing left to run: --nemesis "
                        + String.join(",", network) + " needs root; add kill, pause or clock");
            }
            options = options.withNemeses(rest);
        }
        List<RunOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < options.runs(); i++) {
            outcomes.add(new JepsenRun(options.forRun(i), out).execute());
        }
        if (options.runs() > 1) {
            out.print(RunTable.format(outcomes));
        }
        return outcomes.stream().allMatch(o -> o.result().valid()) ? 0 : 1;
    }

    private RunOptions validate() {
        if (nodes < 3) {
            throw usage("--nodes must be at least 3 (got " + nodes + "): a fault needs a majority that outlives it");
        }
        if (!"queue".equals(workload) && !"kv".equals(workload) && !"txn".equals(workload)) {
            throw usage("unknown workload '" + workload + "' (available: queue, kv, txn)");
        }
        boolean kv = "kv".equals(workload);
        boolean txn = "txn".equals(workload);
        if (txn && (given("--subscribers") || given("--assigners"))) {
            throw usage("--subscribers and --assigners do not apply to the txn workload (each of its --producers "
                    + "workers has its own assign consumer)");
        }
        if (txn && !acks.equals("all") && !acks.equals("-1")) {
            throw usage("the txn workload's producers are transactional: --acks must be all");
        }
        if (kv && given("--subscribers")) {
            throw usage("--subscribers applies to the queue workload only (kv readers are --assigners)");
        }
        if (!kv && given("--keys")) {
            throw usage("--keys applies to the kv workload only");
        }
        if (kv && (keys < producers)) {
            throw usage("--keys must be at least --producers for kv (got " + keys + " keys, " + producers
                    + " producers): each writer owns at least one key");
        }
        List<String> list = new ArrayList<>();
        for (String n : nemesis) {
            String name = n.trim();
            if (name.isEmpty() || name.equals("none")) {
                continue;
            }
            if (Nemeses.PLANNED.contains(name)) {
                throw usage("nemesis '" + name + "' is not available yet (available: "
                        + String.join(", ", Nemeses.AVAILABLE.keySet()) + ")");
            }
            if (!Nemeses.AVAILABLE.containsKey(name)) {
                throw usage("unknown nemesis '" + name + "' (available: "
                        + String.join(", ", Nemeses.AVAILABLE.keySet()) + ", or none)");
            }
            if (!list.contains(name)) {
                list.add(name);
            }
        }
        for (String shape : partitionShapes) {
            if (!PartitionNemesis.SHAPES.contains(shape)) {
                throw usage("unknown partition shape '" + shape + "' (available: "
                        + String.join(", ", PartitionNemesis.SHAPES) + ")");
            }
        }
        if (nemesisInterval <= 0) {
            throw usage("--nemesis-interval must be a positive number of seconds (got " + nemesisInterval + ")");
        }
        if (timeLimit <= 0) {
            throw usage("--time-limit must be a positive number of seconds (got " + timeLimit + ")");
        }
        if (rate <= 0 || runs <= 0 || partitions <= 0 || producers <= 0 || assigners < 0 || subscribers < 0) {
            throw usage("--rate, --runs, --partitions and --producers must be positive, --assigners and "
                    + "--subscribers at least 0");
        }
        if (!acks.equals("all") && !acks.equals("-1") && !acks.equals("1")) {
            throw usage("--acks must be all or 1 (got '" + acks + "')");
        }
        if (list.contains("clock") && ClockControl.library() == null) {
            throw usage("the clock nemesis needs libfaketime: apt-get install -y faketime (or leave clock out)");
        }
        Map<String, String> props = new LinkedHashMap<>();
        for (String p : serverProps) {
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw usage("--server-prop takes KEY=VALUE (got '" + p + "')");
            }
            props.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        Path home = runnelHome();
        String classpath = System.getProperty("runnel.server.classpath",
                home.resolve("cli/target/classes") + ":" + home.resolve("cli/target/lib") + "/*");
        long s = seed != null ? seed : new java.util.Random().nextInt(1_000_000);
        return new RunOptions(nodes, workload, list, timeLimit, rate, s, runs, resultsDir.toAbsolutePath(),
                partitions, producers, txn ? 0 : assigners, kv || txn ? 0 : subscribers, acks.equals("-1") ? "all" : acks, props,
                partitionShapes, nemesisInterval, home, classpath, keys);
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private Path runnelHome() {
        String home = System.getProperty("runnel.home");
        if (home != null) {
            return Path.of(home).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isExecutable(p.resolve("bin/runnel"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find bin/runnel: run from a Runnel checkout or set -Drunnel.home");
    }
}
