package io.runnel.cli.records;

import io.runnel.cli.CliException;
import io.runnel.cli.ErrorHandlers;
import io.runnel.cli.VersionProvider;
import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.BrokerErrors;
import io.runnel.cli.client.AdminConnectionOptions;
import io.runnel.cli.client.ClientFactory;
import io.runnel.cli.client.KafkaLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DeletedRecords;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code runnel delete-records --bootstrap-server HOST:PORT (--offset-json-file FILE | --topic T --partition P
 * --before-offset N)}: deletes the records of partitions below an offset (DeleteRecords, KIP-107) with the flags and
 * output of Kafka's {@code kafka-delete-records.sh}: {@code Executing records delete operation}, then {@code Records
 * delete operation completed:} and one line per partition, {@code partition: t-0<TAB>low_watermark: 10} or
 * {@code partition: t-0<TAB>error: <Kafka's message>}. The low watermark is the partition's new log start offset
 * on every in-sync replica. Offset -1 means the high watermark (everything committed). Wrong flags or an unusable
 * JSON file are exit 2 before any connection; a failed partition or broker error is exit 1.
 */
@Command(
        name = "delete-records",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = "Delete the records of partitions below an offset (the flags of kafka-delete-records.sh).")
public final class DeleteRecordsCommand implements Callable<Integer> {

    @Mixin
    AdminConnectionOptions connection;

    @Option(names = "--offset-json-file", paramLabel = "FILE", description = "JSON with the offset per partition: "
            + "{\"partitions\":[{\"topic\":\"foo\",\"partition\":1,\"offset\":1}],\"version\":1}")
    Path offsetJsonFile;

    @Option(names = "--topic", paramLabel = "TOPIC", description = "Instead of a JSON file: the topic.")
    String topic;

    @Option(names = "--partition", paramLabel = "N", description = "With --topic: the partition.")
    Integer partition;

    @Option(names = "--before-offset", paramLabel = "OFFSET", description = "With --topic: delete the records "
            + "before this offset (-1: the high watermark).")
    Long beforeOffset;

    @Spec
    CommandSpec spec;

    private final Function<Properties, Admin> adminFactory;

    /** The command as {@code bin/runnel} runs it: a real Admin client. */
    public DeleteRecordsCommand() {
        this(ClientFactory.REAL::admin);
    }

    /** @param adminFactory opens the Admin client for the given properties (tests may pass a mock) */
    public DeleteRecordsCommand(Function<Properties, Admin> adminFactory) {
        this.adminFactory = adminFactory;
    }

    /**
     * Checks the flags, deletes, prints one line per partition.
     *
     * @return 0 when every partition succeeded
     * @throws ParameterException wrong flags or JSON file (exit 2)
     * @throws CliException a failed partition or a broker failure (exit 1)
     */
    @Override
    public Integer call() {
        Map<TopicPartition, Long> offsets = offsets();
        BootstrapServers servers = connection.servers();
        KafkaLogging.configure(ErrorHandlers.isVerbose(spec));
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        try (Admin admin = adminFactory.apply(connection.adminProperties())) {
            Map<TopicPartition, RecordsToDelete> request = new LinkedHashMap<>();
            offsets.forEach((tp, offset) -> request.put(tp, RecordsToDelete.beforeOffset(offset)));
            out.println("Executing records delete operation");
            out.flush();
            Map<TopicPartition, KafkaFuture<DeletedRecords>> results = admin.deleteRecords(request).lowWatermarks();
            Map<TopicPartition, String> lines = new LinkedHashMap<>();
            for (TopicPartition tp : offsets.keySet()) {
                try {
                    lines.put(tp, "low_watermark: " + results.get(tp).get().lowWatermark());
                } catch (ExecutionException e) {
                    failed++;
                    lines.put(tp, "error: " + BrokerErrors.describe(e, servers).getMessage());
                }
            }
            out.println("Records delete operation completed:");
            lines.forEach((tp, line) -> out.println("partition: " + tp + "\t" + line));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ParameterException | CliException e) {
            throw e;
        } catch (RuntimeException e) {
            throw BrokerErrors.describe(e, servers);
        } finally {
            out.flush();
        }
        if (failed > 0) {
            throw new CliException(failed + " of " + offsets.size() + " partitions failed");
        }
        return 0;
    }

    /** The offsets to delete before, from the JSON file or the three flags; usage errors as exit 2. */
    private Map<TopicPartition, Long> offsets() {
        boolean single = topic != null || partition != null || beforeOffset != null;
        if ((offsetJsonFile == null) == !single) {
            throw usage("give either --offset-json-file or --topic with --partition and --before-offset");
        }
        if (offsetJsonFile != null) {
            try {
                return OffsetJsonFile.read(offsetJsonFile);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        if (topic == null || topic.isEmpty() || partition == null || beforeOffset == null) {
            throw usage("--topic, --partition and --before-offset go together");
        }
        if (partition < 0) {
            throw usage("--partition must be at least 0, not " + partition);
        }
        if (beforeOffset < -1) {
            throw usage("--before-offset must be -1 (the high watermark) or at least 0, not " + beforeOffset);
        }
        return Map.of(new TopicPartition(topic, partition), beforeOffset);
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
