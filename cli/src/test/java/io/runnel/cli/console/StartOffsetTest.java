package io.runnel.cli.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code --offset} values. */
class StartOffsetTest {

    @Test
    void parsesNamesInAnyCaseAndNonNegativeNumbers() {
        assertEquals(StartOffset.EARLIEST, StartOffset.parse("Earliest"));
        assertEquals(StartOffset.LATEST, StartOffset.parse("LATEST"));
        assertEquals(new StartOffset(StartOffset.Kind.EXACT, 0), StartOffset.parse("0"));
        assertEquals(new StartOffset(StartOffset.Kind.EXACT, 123), StartOffset.parse("123"));
    }

    @Test
    void rejectsOthersWithKafkasMessage() {
        for (String bad : new String[] {"-1", "x", ""}) {
            assertEquals("The provided offset value '" + bad + "' is incorrect. Valid values are 'earliest', "
                    + "'latest', or a non-negative long.",
                    assertThrows(IllegalArgumentException.class, () -> StartOffset.parse(bad)).getMessage());
        }
    }
}
