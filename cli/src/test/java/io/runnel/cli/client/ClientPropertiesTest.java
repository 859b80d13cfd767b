package io.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.runnel.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** Property files and key=value flags. */
class ClientPropertiesTest {

    @TempDir
    Path dir;

    private final CommandSpec spec = new CommandLine(CommandSpec.create()).getCommandSpec();

    @Test
    void flagsOverrideTheFileAndValuesKeepLaterEqualsSigns() throws IOException {
        Path file = dir.resolve("c.properties");
        Files.writeString(file, "acks=1\nlinger.ms=5\n");
        Properties merged = ClientProperties.merged(file,
                ClientProperties.parseKeyValues(spec, "--x", List.of("acks=all", "sasl.jaas.config=a=b", "empty=")));
        assertEquals("all", merged.getProperty("acks"));
        assertEquals("5", merged.getProperty("linger.ms"));
        assertEquals("a=b", merged.getProperty("sasl.jaas.config"));
        assertEquals("", merged.getProperty("empty"));
    }

    @Test
    void aValueWithoutEqualsIsAUsageError() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> ClientProperties.parseKeyValues(spec, "--producer-property", List.of("acks")));
        assertEquals("invalid --producer-property 'acks': expected key=value", e.getMessage());
    }

    @Test
    void aMissingFileIsOneLine() {
        Path missing = dir.resolve("nope.properties");
        assertEquals("no such file: " + missing,
                assertThrows(CliException.class, () -> ClientProperties.load(missing)).getMessage());
    }
}
