package io.runnel.cli.logdirs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.runnel.cli.CliRunner;
import io.runnel.cli.ErrorHandlers;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.KafkaStorageException;
import org.junit.jupiter.api.Test;

/** {@code log-dirs} flag checks before any connection, and Kafka's JSON layout. */
class LogDirsCommandTest {
    @Test
    void wrongFlagsAreUsageErrors() {
        CliRunner.Result noDescribe = CliRunner.run("log-dirs", "--bootstrap-server", "127.0.0.1:1");
        assertEquals(ErrorHandlers.EXIT_USAGE, noDescribe.exitCode());
        assertEquals("runnel: Missing required option: '--describe'", noDescribe.err().get(0));
        CliRunner.Result badList = CliRunner.run("log-dirs", "--bootstrap-server", "127.0.0.1:1", "--describe",
                "--broker-list", "1,x");
        assertEquals(ErrorHandlers.EXIT_USAGE, badList.exitCode());
        assertEquals(List.of("runnel: --broker-list takes broker ids separated by commas, e.g. 1,2,3; not '1,x'",
                "Run 'runnel log-dirs --help' for usage."), badList.err());
        assertEquals(List.of(), badList.out());
    }

    @Test
    void jsonHasKafkasFieldOrderAndFiltersTopics() {
        Map<TopicPartition, ReplicaInfo> replicas = Map.of(new TopicPartition("b", 1), new ReplicaInfo(10, 0, false),
                new TopicPartition("a", 0), new ReplicaInfo(20, 1, false));
        Map<Integer, Map<String, LogDirDescription>> dirs = Map.of(2, Map.of("/d2", new LogDirDescription(null,
                replicas)), 1, Map.of("/d1", new LogDirDescription(new KafkaStorageException("x"), Map.of())));
        assertEquals("{\"brokers\":[{\"broker\":1,\"logDirs\":[{\"partitions\":[],\"error\":"
                + "\"org.apache.kafka.common.errors.KafkaStorageException\",\"logDir\":\"/d1\"}]},{\"broker\":2,"
                + "\"logDirs\":[{\"partitions\":[{\"partition\":\"a-0\",\"size\":20,\"offsetLag\":1,\"isFuture\":false},"
                + "{\"partition\":\"b-1\",\"size\":10,\"offsetLag\":0,\"isFuture\":false}],\"error\":null,"
                + "\"logDir\":\"/d2\"}]}],\"version\":1}", LogDirsJson.format(dirs, Set.of()));
        assertEquals("{\"brokers\":[{\"broker\":2,\"logDirs\":[{\"partitions\":[{\"partition\":\"b-1\",\"size\":10,"
                + "\"offsetLag\":0,\"isFuture\":false}],\"error\":null,\"logDir\":\"/d2\"}]}],\"version\":1}",
                LogDirsJson.format(Map.of(2, dirs.get(2)), Set.of("b")));
    }
}
