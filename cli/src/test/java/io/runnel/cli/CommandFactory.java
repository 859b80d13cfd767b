package io.runnel.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * A picocli factory that hands out prepared command objects (built by a test on fake Kafka clients) and creates
 * everything else the default way.
 */
public final class CommandFactory implements CommandLine.IFactory {

    private final List<Object> prepared;

    private CommandFactory(List<Object> prepared) {
        this.prepared = prepared;
    }

    /**
     * @param commands command instances to use instead of picocli-created ones, matched by class
     * @return the factory
     */
    public static CommandFactory with(Object... commands) {
        return new CommandFactory(List.of(commands));
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        for (Object command : prepared) {
            if (cls.isInstance(command)) {
                return cls.cast(command);
            }
        }
        return CommandLine.defaultFactory().create(cls);
    }
}
