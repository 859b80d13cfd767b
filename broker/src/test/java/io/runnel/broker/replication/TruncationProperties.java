package io.runnel.broker.replication;

import io.runnel.log.epoch.EpochEndOffset;
import io.runnel.log.epoch.LeaderEpochCache;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Divergence resolution converges (KIP-101/KIP-279 rules as Fetch v12 carries them): for a leader and a follower
 * whose logs share a prefix and then hold batches of different leader epochs (epochs are unique to a leader, so the
 * suffixes' epochs are disjoint), repeating "follower fetches with its last epoch; the leader answers its end of that
 * epoch when the follower is past it; the follower truncates to {@link Truncation#offset}" ends with the follower
 * holding exactly the shared prefix, never less: committed records are never truncated. The leader's cache holds
 * its own epoch from its log end offset, as a leader's does from the moment it takes over. Uses the real
 * {@link LeaderEpochCache} for both replicas' epoch lookups. A log is modelled as the epoch of each offset.
 */
class TruncationProperties {
    /** A shared prefix, then the leader's and the follower's own suffixes, each a non-decreasing epoch list. */
    record Histories(List<Integer> prefix, List<Integer> leaderSuffix, List<Integer> followerSuffix) {
    }

    @Provide
    Arbitrary<Histories> histories() {
        Arbitrary<List<Integer>> prefix = Arbitraries.integers().between(0, 3).list().ofMaxSize(12)
                .map(TruncationProperties::cumulative);
        Arbitrary<List<Integer>> steps = Arbitraries.integers().between(0, 2).list().ofMaxSize(10);
        return Combinators.combine(prefix, steps, steps, Arbitraries.integers().between(1, 3)).as((p, ls, fs, gap) -> {
            int base = p.isEmpty() ? 0 : p.get(p.size() - 1);
            // leader epochs are even offsets above base, follower epochs odd ones: disjoint, as leaders are unique
            List<Integer> leader = new ArrayList<>();
            List<Integer> follower = new ArrayList<>();
            int le = base + 2 * gap;
            int fe = base + 2 * gap - 1;
            for (int s : ls) {
                le += 2 * s;
                leader.add(le);
            }
            for (int s : fs) {
                fe += 2 * s;
                follower.add(fe);
            }
            return new Histories(p, leader, follower);
        });
    }

    private static List<Integer> cumulative(List<Integer> steps) {
        List<Integer> out = new ArrayList<>();
        int e = 0;
        for (int s : steps) {
            e += s;
            out.add(e);
        }
        return out;
    }

    @Property(tries = 300)
    void followersConvergeToTheSharedPrefixAndNoFurther(@ForAll("histories") Histories h) throws IOException {
        Path dir = Files.createTempDirectory("truncation");
        try {
            List<Integer> leader = new ArrayList<>(h.prefix());
            leader.addAll(h.leaderSuffix());
            List<Integer> follower = new ArrayList<>(h.prefix());
            follower.addAll(h.followerSuffix());
            LeaderEpochCache leaderCache = cache(dir.resolve("leader"), leader);
            // the leader's own epoch, newer than every other, starts at its log end offset when it takes over
            int current = 2 * leader.stream().mapToInt(Integer::intValue).max().orElse(0)
                    + 2 * follower.stream().mapToInt(Integer::intValue).max().orElse(0) + 2;
            leaderCache.assign(current, leader.size());
            for (int round = 0; round < 100; round++) {
                if (follower.isEmpty()) {
                    break;
                }
                int lastFetched = follower.get(follower.size() - 1);
                long fetchOffset = follower.size();
                EpochEndOffset end = leaderCache.endOffsetFor(lastFetched);
                if (end.epoch() >= lastFetched && end.endOffset() >= fetchOffset) {
                    break;
                }
                LeaderEpochCache followerCache = cache(dir.resolve("follower-" + round), follower);
                long target = Truncation.offset(end, followerCache.endOffsetFor(end.epoch()), fetchOffset);
                assertTrue(target >= h.prefix().size(), "truncated into the shared prefix: " + target);
                assertTrue(target < fetchOffset, "no progress in round " + round);
                follower = new ArrayList<>(follower.subList(0, (int) target));
            }
            assertEquals(h.prefix(), follower, "the follower keeps exactly the shared prefix");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static LeaderEpochCache cache(Path file, List<Integer> epochs) {
        long[] end = {epochs.size()};
        LeaderEpochCache c = LeaderEpochCache.empty(file, () -> end[0]);
        for (int offset = 0; offset < epochs.size(); offset++) {
            c.assign(epochs.get(offset), offset);
        }
        return c;
    }
}
