package io.runnel.cli.quorum;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.cli.CliRunner;
import io.runnel.cli.CommandFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runnel metadata-quorum ... describe} against a fake {@link QuorumAdmin}: Kafka's exact output layouts, the
 * flag rules (exit 2), broker failures (one line, exit 1).
 */
class MetadataQuorumCommandTest {
    private static final String ZERO = QuorumStatusFormat.ZERO_DIRECTORY_ID;
    private static final long NOW = 1_700_000_010_000L;
    private static final String HEADER = "NodeId\tDirectoryId           \tLogEndOffset\tLag\tLastFetchTimestamp\t"
            + "LastCaughtUpTimestamp\tStatus  \t";

    @TempDir
    Path dir;
    private final FakeAdmin admin = new FakeAdmin();
    private String bootstrap = "localhost:9092";

    /** A fake answering with a fixed quorum, or failing. */
    static class FakeAdmin implements QuorumAdmin {
        QuorumDescription quorum;
        RuntimeException failure;
        Properties openedWith;
        boolean closed;

        @Override
        public QuorumDescription describeQuorum() {
            if (failure != null) {
                throw failure;
            }
            return quorum;
        }

        @Override
        public String clusterId() {
            if (failure != null) {
                throw failure;
            }
            return "MkU3OEVBNTcwNTJENDM2Qg";
        }

        @Override
        public void addController(int id, String directoryId, List<ControllerEndpoint> endpoints) {
            throw new UnsupportedOperationException("describe only");
        }

        @Override
        public void removeController(int id, String directoryId) {
            throw new UnsupportedOperationException("describe only");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static QuorumDescription.Replica replica(int id, long end, long fetched, long caughtUp) {
        return new QuorumDescription.Replica(id, ZERO, end, fetched < 0 ? OptionalLong.empty()
                : OptionalLong.of(fetched), caughtUp < 0 ? OptionalLong.empty() : OptionalLong.of(caughtUp));
    }

    /** Three voters (leader 2, voter 3 two behind) and one observer; voters have controller endpoints. */
    private static QuorumDescription threeVoters() {
        return new QuorumDescription(2, 7, 120,
                List.of(replica(1, 120, NOW - 30, NOW - 30), replica(2, 120, NOW, NOW),
                        replica(3, 118, NOW - 500, NOW - 2500)),
                List.of(replica(4, 119, NOW - 100, NOW - 1000)),
                Map.of(1, List.of("CONTROLLER://127.0.0.1:9093"), 2, List.of("CONTROLLER://127.0.0.1:9095"),
                        3, List.of("CONTROLLER://127.0.0.1:9097")));
    }

    private CliRunner.Result run(String... args) {
        QuorumDescribeCommand describe = new QuorumDescribeCommand(props -> {
            admin.openedWith = props;
            return admin;
        }, () -> NOW);
        List<String> full = new ArrayList<>(List.of("metadata-quorum", "--bootstrap-server", bootstrap));
        full.addAll(Arrays.asList(args));
        return CliRunner.run(CommandFactory.with(describe), full.toArray(String[]::new));
    }

    @Test
    void statusPrintsKafkasEightLines() {
        admin.quorum = threeVoters();
        CliRunner.Result r = run("describe", "--status");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals(List.of(
                "ClusterId:              MkU3OEVBNTcwNTJENDM2Qg",
                "LeaderId:               2",
                "LeaderEpoch:            7",
                "HighWatermark:          120",
                "MaxFollowerLag:         2",
                "MaxFollowerLagTimeMs:   2500",
                "CurrentVoters:          [{\"id\": 1, \"endpoints\": [\"CONTROLLER://127.0.0.1:9093\"]}, "
                        + "{\"id\": 2, \"endpoints\": [\"CONTROLLER://127.0.0.1:9095\"]}, "
                        + "{\"id\": 3, \"endpoints\": [\"CONTROLLER://127.0.0.1:9097\"]}]",
                "CurrentObservers:       [{\"id\": 4}]"), r.out());
        assertEquals(List.of(), r.err());
        assertTrue(admin.closed);
        assertEquals("localhost:9092", admin.openedWith.getProperty("bootstrap.servers"));
        assertEquals("30000", admin.openedWith.getProperty("default.api.timeout.ms"));
        assertEquals("10000", admin.openedWith.getProperty("request.timeout.ms"));
    }

    @Test
    void maxFollowerLagTimeIsZeroWhenTheLeaderIsTheFirstSmallestAndMinusOneWhenUnknown() {
        admin.quorum = new QuorumDescription(1, 1, 10, List.of(replica(1, 10, NOW, NOW), replica(2, 10, NOW, NOW)),
                List.of(), Map.of());
        List<String> caughtUp = run("describe", "--status").out();
        assertEquals("MaxFollowerLag:         0", caughtUp.get(4));
        assertEquals("MaxFollowerLagTimeMs:   0", caughtUp.get(5));
        assertEquals("CurrentVoters:          [{\"id\": 1}, {\"id\": 2}]", caughtUp.get(6));
        assertEquals("CurrentObservers:       []", caughtUp.get(7));

        admin.quorum = new QuorumDescription(1, 1, 10, List.of(replica(1, 10, NOW, NOW), replica(2, -1, -1, -1)),
                List.of(), Map.of());
        List<String> unknown = run("describe", "--status").out();
        assertEquals("MaxFollowerLag:         11", unknown.get(4));
        assertEquals("MaxFollowerLagTimeMs:   -1", unknown.get(5));

        admin.quorum = new QuorumDescription(1, 1, 10, List.of(new QuorumDescription.Replica(1,
                "pbvuBlaTTwKRxS5NLJwRFQ", 10, OptionalLong.empty(), OptionalLong.empty())), List.of(), Map.of());
        assertEquals("CurrentVoters:          [{\"id\": 1, \"directoryId\": \"pbvuBlaTTwKRxS5NLJwRFQ\"}]",
                run("describe", "--status").out().get(6));
    }

    @Test
    void replicationPrintsKafkasTabSeparatedTableLeaderFollowersObservers() {
        admin.quorum = threeVoters();
        CliRunner.Result r = run("describe", "--replication");
        assertEquals(0, r.exitCode(), r.err().toString());
        String w = ZERO;
        assertEquals(List.of(
                HEADER,
                "2     \t" + w + "\t120         \t0  \t" + NOW + "     \t" + NOW + "        \tLeader  \t",
                "1     \t" + w + "\t120         \t0  \t" + (NOW - 30) + "     \t" + (NOW - 30) + "        \tFollower\t",
                "3     \t" + w + "\t118         \t2  \t" + (NOW - 500) + "     \t" + (NOW - 2500)
                        + "        \tFollower\t",
                "4     \t" + w + "\t119         \t1  \t" + (NOW - 100) + "     \t" + (NOW - 1000)
                        + "        \tObserver\t"), r.out());
    }

    @Test
    void humanReadableShowsMillisecondsAgoAndUnknownAsMinusOne() {
        admin.quorum = new QuorumDescription(1, 1, 10, List.of(replica(1, 10, NOW, NOW - 5)),
                List.of(replica(9, 4, -1, -1)), Map.of());
        List<String> out = run("describe", "--replication", "--human-readable").out();
        assertEquals(List.of(
                HEADER,
                "1     \t" + ZERO + "\t10          \t0  \t0 ms ago          \t5 ms ago             \tLeader  \t",
                "9     \t" + ZERO + "\t4           \t6  \t-1                \t-1                   \tObserver\t"), out);
    }

    @Test
    void aTimestampFromTheFutureIsAClockDriftErrorWithHumanReadable() {
        admin.quorum = new QuorumDescription(1, 1, 10, List.of(replica(1, 10, NOW + 60_000, NOW)), List.of(),
                Map.of());
        CliRunner.Result r = run("describe", "--replication", "--human-readable");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.err().size(), r.err().toString());
        assertTrue(r.err().get(0).startsWith("runnel: Error while computing relative time, possible drift in system "
                + "clock"), r.err().get(0));
        assertTrue(r.err().get(0).contains(String.valueOf(NOW + 60_000)), r.err().get(0));
    }

    @Test
    void flagRulesAreUsageErrorsWithKafkasMessages() {
        Map<List<String>, String> cases = Map.of(
                List.of("describe", "--status", "--replication"),
                "runnel: Only one of --status or --replication should be specified with describe sub-command",
                List.of("describe"),
                "runnel: One of --status or --replication must be specified with describe sub-command",
                List.of("describe", "--status", "--human-readable"),
                "runnel: The option --human-readable is only supported along with --replication");
        cases.forEach((args, message) -> {
            CliRunner.Result r = run(args.toArray(String[]::new));
            assertEquals(2, r.exitCode(), args.toString());
            assertEquals(List.of(message, "Run 'runnel metadata-quorum describe --help' for usage."), r.err());
            assertEquals(List.of(), r.out());
        });
        assertNull(admin.openedWith, "no connection for a bad command line");
    }

    @Test
    void missingOrMalformedConnectionFlagsAndAMissingSubcommandAreUsageErrors() {
        CliRunner.Result noBootstrap = CliRunner.run("metadata-quorum", "describe", "--status");
        assertEquals(2, noBootstrap.exitCode());
        assertTrue(noBootstrap.err().get(0).contains("--bootstrap-server"), noBootstrap.err().toString());

        bootstrap = "localhost";
        CliRunner.Result bad = run("describe", "--status");
        assertEquals(2, bad.exitCode());
        assertEquals("runnel: invalid bootstrap server 'localhost': expected HOST:PORT", bad.err().get(0));

        bootstrap = "localhost:9092";
        CliRunner.Result none = run();
        assertEquals(2, none.exitCode());
        assertEquals(List.of("runnel: missing command (one of: describe, add-controller, remove-controller)",
                "Run 'runnel metadata-quorum --help' for usage."), none.err());
    }

    @Test
    void commandConfigIsLoadedAndAMissingFileIsOneLine() throws IOException {
        admin.quorum = threeVoters();
        Path config = dir.resolve("admin.properties");
        Files.writeString(config, "default.api.timeout.ms=4000\nclient.id=quorum-tool\n");
        CliRunner.Result r = CliRunner.run(CommandFactory.with(new QuorumDescribeCommand(props -> {
            admin.openedWith = props;
            return admin;
        }, () -> NOW)), "metadata-quorum", "--bootstrap-server", bootstrap, "--command-config", config.toString(),
                "describe", "--replication");
        assertEquals(0, r.exitCode(), r.err().toString());
        assertEquals("4000", admin.openedWith.getProperty("default.api.timeout.ms"));
        assertEquals("1333", admin.openedWith.getProperty("request.timeout.ms"), "a third of the file's API timeout");
        assertEquals("quorum-tool", admin.openedWith.getProperty("client.id"));

        CliRunner.Result missing = CliRunner.run("metadata-quorum", "--bootstrap-server", bootstrap,
                "--command-config", dir.resolve("nope.properties").toString(), "describe", "--status");
        assertEquals(1, missing.exitCode());
        assertEquals(List.of("runnel: no such file: " + dir.resolve("nope.properties")), missing.err());
    }

    @Test
    void brokerFailuresAreOneLine() throws IOException {
        admin.failure = new UnsupportedVersionException("The node does not support DESCRIBE_QUORUM");
        CliRunner.Result unsupported = run("describe", "--status");
        assertEquals(1, unsupported.exitCode());
        assertEquals(List.of("runnel: The node does not support DESCRIBE_QUORUM"), unsupported.err());

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        bootstrap = "127.0.0.1:" + port;
        admin.failure = new TimeoutException("Timed out waiting for a node assignment. Call: describeMetadataQuorum");
        CliRunner.Result down = run("describe", "--replication");
        assertEquals(1, down.exitCode());
        assertEquals(List.of("runnel: cannot reach broker at 127.0.0.1:" + port), down.err());
        assertFalse(down.out().iterator().hasNext());
    }
}
