package io.runnel.broker.group;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a group's protocol (the consumers' assignor) is chosen from what the members support. */
class ProtocolSelectionProperties {

    @Provide
    Arbitrary<List<List<String>>> members() {
        Arbitrary<List<String>> one = Arbitraries.of("range", "roundrobin", "sticky", "cooperative-sticky")
                .list().ofMinSize(1).ofMaxSize(4).uniqueElements();
        return one.list().ofMinSize(1).ofMaxSize(6);
    }

    @Property
    void theChoiceIsSupportedByEveryMemberOrThereIsNone(@ForAll("members") List<List<String>> members) {
        Optional<String> chosen = ProtocolSelection.select(members);
        boolean common = !ProtocolSelection.candidates(members).isEmpty();
        assertEquals(common, chosen.isPresent());
        chosen.ifPresent(p -> assertTrue(members.stream().allMatch(m -> m.contains(p))));
        assertEquals(chosen, ProtocolSelection.select(members), "deterministic");
    }

    @Property
    void theChoiceHasTheMostFirstChoiceVotes(@ForAll("members") List<List<String>> members) {
        ProtocolSelection.select(members).ifPresent(chosen -> {
            var candidates = ProtocolSelection.candidates(members);
            long votes = votes(members, candidates, chosen);
            for (String other : candidates) {
                assertTrue(votes(members, candidates, other) <= votes, chosen + " vs " + other + " in " + members);
            }
        });
    }

    private static long votes(List<List<String>> members, java.util.Set<String> candidates, String protocol) {
        return members.stream().filter(m -> m.stream().filter(candidates::contains).findFirst()
                .map(protocol::equals).orElse(false)).count();
    }

    @Test
    void examples() {
        assertEquals(Optional.of("range"), ProtocolSelection.select(List.of(List.of("range", "cooperative-sticky"),
                List.of("range", "cooperative-sticky"))));
        assertEquals(Optional.of("cooperative-sticky"), ProtocolSelection.select(List.of(
                List.of("cooperative-sticky", "range"), List.of("range", "cooperative-sticky"),
                List.of("cooperative-sticky"))));
        assertEquals(Optional.empty(), ProtocolSelection.select(List.of(List.of("range"), List.of("sticky"))));
        assertTrue(ProtocolSelection.fits(List.of("range"), List.of()));
        assertFalse(ProtocolSelection.fits(List.of(), List.of()));
        assertFalse(ProtocolSelection.fits(List.of("sticky"), List.of(List.of("range"))));
    }
}
