package io.runnel.compat.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.compat.JavaProcess;
import io.runnel.compat.RunnelCluster;
import io.runnel.compat.RunnelNode;
import io.runnel.compat.Waits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's acceptance test: a Kafka Streams 4.4 word count ({@link WordCountApp}, {@code exactly_once_v2}, in a
 * JVM of its own) on three Runnel node processes (RF 3, {@code min.insync.replicas=2}) stays exact although, while
 * lines keep arriving, one broker is killed with SIGKILL and restarted, and then the Streams process itself is killed
 * with SIGKILL and replaced by a new process with the same {@code application.id} and a fresh state directory. A
 * read_committed consumer of the output topic must then see, as the last count of every word, exactly the number of
 * times the word occurs in the input: a duplicate would overcount, a loss undercount.
 *
 * <p>On failure the work directory is kept: {@code cluster/node-<id>/runnel.log}, {@code app-1.err},
 * {@code app-2.err} (the Streams JVMs' logs); the nodes' logs are also copied to
 * {@code compat-tests/target/streams-eos-node-<id>.log}.
 */
class StreamsExactlyOnceTest {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String APP_ID = "wordcount-eos";
    private static final String INPUT = "wc-lines";
    private static final String OUTPUT = "wc-counts";
    /** The repartition topic of {@link WordCountApp}'s {@code groupBy} (named "words"). */
    private static final String REPARTITION = APP_ID + "-words-repartition";
    private static final int LINES = 3_000;
    private static final int VICTIM = 2;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path workDir;

    @Test
    @Timeout(value = 9, unit = TimeUnit.MINUTES)
    void wordCountIsExactAfterKillingABrokerAndTheApplication() throws Exception {
        long started = System.nanoTime();
        try (RunnelCluster cluster = RunnelCluster.start(workDir.resolve("cluster"), 3,
                "default.replication.factor=3", "min.insync.replicas=2", "offsets.topic.replication.factor=3",
                "broker.heartbeat.interval.ms=1000", "broker.session.timeout.ms=6000",
                "transaction.abort.timed.out.transaction.cleanup.interval.ms=2000",
                "num.io.threads=4", "num.network.threads=2")) {
            try {
                run(cluster);
            } finally {
                cluster.copyLogsTo(RunnelNode.repoRoot().resolve("compat-tests/target"), "streams-eos-node-");
            }
        }
        System.out.printf("StreamsExactlyOnceTest: %d s%n", (System.nanoTime() - started) / 1_000_000_000L);
    }

    private void run(RunnelCluster cluster) throws Exception {
        WordLines lines = WordLines.generate(LINES, 20260101L);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000))) {
            admin.createTopics(List.of(new NewTopic(INPUT, 3, (short) 3), new NewTopic(OUTPUT, 3, (short) 3)))
                    .all().get(60, TimeUnit.SECONDS);
            EosProgress progress = new EosProgress(admin, APP_ID, INPUT, List.of(INPUT, REPARTITION));
            AtomicInteger sent = new AtomicInteger();
            WordLines.Gate gate = new WordLines.Gate();
            AtomicReference<Throwable> producerFailure = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try {
                    lines.produce(cluster.bootstrap(), INPUT, gate, sent);
                } catch (Throwable e) {
                    producerFailure.set(e);
                }
            }, "line-producer");
            List<JavaProcess> apps = new ArrayList<>();
            try {
                JavaProcess app1 = startApp(cluster, "app-1");
                apps.add(app1);
                awaitRunning(app1);
                gate.open(1_000);
                producer.start();

                // Mid-run crash of a broker: SIGKILL while the application processes lines and more are to come.
                Waits.await("the application to commit 500 input offsets", WAIT, () -> progress.committed() >= 500,
                        progress::toString);
                cluster.node(VICTIM).kill9();
                gate.open(2_000);
                long atKill = progress.committed();
                Waits.await("the application to commit 300 more offsets with broker " + VICTIM + " down", WAIT,
                        () -> progress.committed() >= atKill + 300 && app1.isAlive(),
                        () -> progress + "; " + describe(app1));
                cluster.node(VICTIM).launch();

                // Mid-run crash of the application: SIGKILL while lines arrive (a transaction most likely open), with
                // the last 300 lines held back until it is dead.
                gate.open(2_700);
                Waits.await("the application to commit 2100 input offsets", WAIT,
                        () -> progress.committed() >= 2_100 && app1.isAlive(),
                        () -> progress + "; " + describe(app1));
                app1.kill9();
                gate.open(LINES);
                System.out.printf("StreamsExactlyOnceTest: killed the application at %s, %d lines sent%n", progress,
                        sent.get());
                JavaProcess app2 = startApp(cluster, "app-2");
                apps.add(app2);

                producer.join(WAIT.toMillis());
                assertFalse(producer.isAlive(), "the producer did not finish within " + WAIT);
                if (producerFailure.get() != null) {
                    throw new AssertionError("producing the input failed", producerFailure.get());
                }
                assertEquals(LINES, sent.get(), "lines acknowledged");
                Waits.await("the new application process to commit every offset of " + INPUT + " and " + REPARTITION,
                        Duration.ofSeconds(180), () -> progress.caughtUp() && app2.isAlive(),
                        () -> progress + "; " + describe(app2) + TxnDiagnostics.report(admin, List.of(INPUT, OUTPUT),
                                APP_ID + "-"));
                assertFalse(app2.stdout().contains(WordCountApp.STATE_PREFIX + "ERROR"), describe(app2));
                app2.kill9();
            } finally {
                apps.forEach(JavaProcess::close);
                producer.interrupt();
            }

            Map<String, Long> last = WordLines.lastCounts(cluster.bootstrap(), OUTPUT, 3);
            Map<String, Long> expected = new TreeMap<>(lines.expectedCounts());
            List<String> wrong = new ArrayList<>();
            expected.forEach((word, n) -> {
                Long seen = last.get(word);
                if (!n.equals(seen)) {
                    wrong.add(word + ": expected " + n + ", last count " + seen);
                }
            });
            last.keySet().stream().filter(w -> !expected.containsKey(w)).forEach(w -> wrong.add(w + ": not a word"));
            if (!wrong.isEmpty()) {
                String report = TxnDiagnostics.report(admin, List.of(INPUT, OUTPUT), APP_ID + "-");
                System.out.println("StreamsExactlyOnceTest: " + report);
                throw new AssertionError("exactly once violated (" + wrong.size() + " words): " + wrong + report);
            }
            System.out.printf("StreamsExactlyOnceTest: %d words, %d occurrences, every last count exact%n",
                    expected.size(), expected.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    private JavaProcess startApp(RunnelCluster cluster, String name) throws Exception {
        // A fresh state directory: the new process restores its store from the changelog, under a new process id.
        return JavaProcess.start(workDir, name, WordCountApp.class.getName(), List.of(cluster.bootstrap(), APP_ID,
                INPUT, OUTPUT, workDir.resolve(name + "-state").toString()));
    }

    private static void awaitRunning(JavaProcess app) {
        Waits.await("the Streams application to reach RUNNING", WAIT, () -> {
            String out = app.stdout();
            if (!app.isAlive() || out.contains(WordCountApp.STATE_PREFIX + "ERROR")) {
                throw new AssertionError("the Streams application failed: " + app.describe());
            }
            return out.contains(WordCountApp.STATE_PREFIX + "RUNNING");
        }, () -> describe(app));
    }

    private static String describe(JavaProcess app) {
        try {
            return app.describe();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
