package io.runnel.cli.client;

import io.runnel.cli.CliException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Client properties from the places Kafka's tools take them: a properties file ({@code --command-config},
 * {@code --producer.config}, ...) and repeated {@code key=value} flags ({@code --producer-property},
 * {@code --property}, ...). Flags override the file.
 */
public final class ClientProperties {

    private ClientProperties() {}

    /**
     * Reads a Java properties file.
     *
     * @param file the file, or null for none
     * @return its properties (empty for a null file)
     * @throws CliException when the file is missing or unreadable
     */
    public static Properties load(Path file) {
        Properties props = new Properties();
        if (file == null) {
            return props;
        }
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new CliException("no such file: " + file, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return props;
    }

    /**
     * Parses {@code key=value} arguments; the value is everything after the first {@code =} and may be empty.
     *
     * @param spec the running command, for the usage error
     * @param option the flag the values came from, named in the error, e.g. {@code --producer-property}
     * @param args the values (null means none)
     * @return the parsed properties, later arguments overriding earlier ones
     * @throws ParameterException (exit 2) for an argument without {@code =} or with an empty key
     */
    public static Properties parseKeyValues(CommandSpec spec, String option, List<String> args) {
        Properties props = new Properties();
        if (args == null) {
            return props;
        }
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new ParameterException(spec.commandLine(), "invalid " + option + " '" + arg
                        + "': expected key=value");
            }
            props.setProperty(arg.substring(0, eq).trim(), arg.substring(eq + 1));
        }
        return props;
    }

    /**
     * The file's properties overridden by the flags' ones.
     *
     * @param file a properties file or null
     * @param overrides properties that win over the file's
     * @return a new merged {@link Properties}
     */
    public static Properties merged(Path file, Properties overrides) {
        Properties props = load(file);
        props.putAll(overrides);
        return props;
    }

    /** Sets {@code key} to {@code value} unless the user's properties already set it. */
    public static void putIfAbsent(Properties props, String key, Object value) {
        if (!props.containsKey(key)) {
            props.put(key, String.valueOf(value));
        }
    }
}
