package io.runnel.cli.transactions;

import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** Checks of the flags the {@code transactions} subcommands share; each failure is a usage error (exit 2). */
final class TransactionArgs {

    private TransactionArgs() {}

    /**
     * @return the partition of {@code --topic} and {@code --partition}
     * @throws ParameterException when the topic is empty or the partition negative
     */
    static TopicPartition partition(CommandSpec spec, String topic, int partition) {
        if (topic.isEmpty()) {
            throw usage(spec, "--topic must not be empty");
        }
        if (partition < 0) {
            throw usage(spec, "--partition must be at least 0, not " + partition);
        }
        return new TopicPartition(topic, partition);
    }

    /**
     * @return {@code --broker-id}
     * @throws ParameterException when it is negative
     */
    static int brokerId(CommandSpec spec, int brokerId) {
        if (brokerId < 0) {
            throw usage(spec, "--broker-id must be a broker id (at least 0), not " + brokerId);
        }
        return brokerId;
    }

    /** A usage error (exit 2) of the given subcommand. */
    static ParameterException usage(CommandSpec spec, String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
