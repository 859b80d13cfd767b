package io.runnel.broker.group;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses a group's protocol (for consumers: the partition assignor) as Kafka's coordinator does: the candidates
 * are the protocols every member supports; each member votes for the candidate it lists first; the candidate with
 * the most votes wins. Ties go to the candidate the earliest-joined member prefers, so the choice is deterministic.
 * Pure functions.
 */
public final class ProtocolSelection {
    private ProtocolSelection() {
    }

    /**
     * The protocols supported by every member, in the order the first member lists them; empty when there are no
     * members or they share none.
     *
     * @param members each member's protocols in preference order, earliest-joined member first
     */
    public static Set<String> candidates(List<List<String>> members) {
        if (members.isEmpty()) {
            return Set.of();
        }
        Set<String> common = new LinkedHashSet<>(members.get(0));
        for (List<String> m : members.subList(1, members.size())) {
            common.retainAll(m);
        }
        return common;
    }

    /**
     * The protocol the group will use, or empty when the members share none.
     *
     * @param members each member's protocols in preference order, earliest-joined member first
     */
    public static Optional<String> select(List<List<String>> members) {
        Set<String> candidates = candidates(members);
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Integer> votes = new HashMap<>();
        for (List<String> m : members) {
            m.stream().filter(candidates::contains).findFirst().ifPresent(p -> votes.merge(p, 1, Integer::sum));
        }
        int most = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        // among the most-voted, the one the earliest member ranks highest
        for (List<String> m : members) {
            for (String p : m) {
                if (votes.getOrDefault(p, 0) == most) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.of(candidates.iterator().next());
    }

    /**
     * True when a member offering {@code offered} could join a group whose current members support
     * {@code existing}: at least one offered protocol is supported by all of them. With no members, any non-empty
     * offer fits.
     */
    public static boolean fits(Collection<String> offered, List<List<String>> existing) {
        if (offered.isEmpty()) {
            return false;
        }
        if (existing.isEmpty()) {
            return true;
        }
        Set<String> common = candidates(existing);
        return offered.stream().anyMatch(common::contains);
    }
}
