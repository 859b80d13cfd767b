package io.runnel.cli.console;

import io.runnel.cli.client.BootstrapServers;
import io.runnel.cli.client.ClientProperties;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.ParameterException;

/**
 * The flag rules and consumer configs of {@code console-consumer}, as Kafka's tool has them: {@code --offset} needs
 * {@code --partition} and excludes {@code --from-beginning}; a group (from {@code --group} or the configs) excludes
 * {@code --partition} and must be the same wherever it is given; {@code auto.offset.reset} is {@code earliest} with
 * {@code --from-beginning}, else {@code latest}, unless the configs set it (a conflicting value is an error).
 */
final class ConsumerSettings {

    private final ConsoleConsumerCommand c;
    private final Properties userProps;
    private final String groupId;

    /**
     * Checks the flags and reads the user's consumer configs.
     *
     * @param command the parsed command
     * @throws ParameterException for a broken rule (exit 2)
     */
    ConsumerSettings(ConsoleConsumerCommand command) {
        this.c = command;
        this.userProps = ClientProperties.merged(c.consumerConfig,
                ClientProperties.parseKeyValues(c.spec, "--consumer-property", c.consumerProperties));
        Set<String> groups = new LinkedHashSet<>();
        if (c.group != null) {
            groups.add(c.group);
        }
        if (userProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG) != null) {
            groups.add(userProps.getProperty(ConsumerConfig.GROUP_ID_CONFIG));
        }
        if (groups.size() > 1) {
            fail("The group ids provided in different places (directly using '--group', via '--consumer-property', "
                    + "or via '--consumer.config') do not match. Detected group ids: "
                    + groups.stream().map(g -> "'" + g + "'").collect(Collectors.joining(", ")));
        }
        this.groupId = groups.isEmpty() ? null : groups.iterator().next();
        check();
    }

    private void check() {
        if (c.partition != null) {
            if (c.partition < 0) {
                fail("--partition must not be negative");
            }
            if (c.fromBeginning && c.offset != null) {
                fail("Options from-beginning and offset cannot be specified together.");
            }
            if (groupId != null) {
                fail("Options group and partition cannot be specified together.");
            }
        } else if (c.offset != null) {
            fail("The partition is required when offset is specified.");
        }
        if (c.offset != null) {
            startOffset();
        }
        String reset = userProps.getProperty(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
        if (reset != null && c.fromBeginning && !reset.equals("earliest")) {
            fail("Can't simultaneously specify --from-beginning and 'auto.offset.reset=" + reset + "', please remove "
                    + "one option");
        }
        bootstrap();
    }

    /** @return whether records are read through a consumer group (subscribe) rather than by assignment */
    boolean usesGroup() {
        return groupId != null;
    }

    /** @return where an assigned {@code --partition} starts: {@code --offset}, else earliest with --from-beginning */
    StartOffset startOffset() {
        if (c.offset != null) {
            try {
                return StartOffset.parse(c.offset);
            } catch (IllegalArgumentException e) {
                fail(e.getMessage());
            }
        }
        return c.fromBeginning ? StartOffset.EARLIEST : StartOffset.LATEST;
    }

    /** @return the parsed {@code --bootstrap-server} */
    BootstrapServers bootstrap() {
        try {
            return BootstrapServers.parse(c.bootstrapServer);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(c.spec.commandLine(), e.getMessage());
        }
    }

    /** @return the complete consumer configs: the user's, then the tool's settings */
    Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(userProps);
        ClientProperties.putIfAbsent(props, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                c.fromBeginning ? "earliest" : "latest");
        props.setProperty(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.bootstrapServer);
        ClientProperties.putIfAbsent(props, ConsumerConfig.CLIENT_ID_CONFIG, "console-consumer");
        if (c.isolationLevel != null) {
            props.setProperty(ConsumerConfig.ISOLATION_LEVEL_CONFIG, c.isolationLevel);
        }
        if (groupId != null) {
            props.setProperty(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return props;
    }

    private void fail(String message) {
        throw new ParameterException(c.spec.commandLine(), message);
    }
}
