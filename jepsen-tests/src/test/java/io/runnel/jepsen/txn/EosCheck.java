package io.runnel.jepsen.txn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The exactly-once checker over the committed output of a {@link Copier} run. Each output record is {@code vX@K}: input
 * value {@code vX} copied by transaction attempt {@code K}. It holds when every input value appears exactly once,
 * no record comes from an attempt that was aborted (on purpose or after an error) or abandoned to the next producer's
 * fencing, and every record of every attempt whose commit returned is there. Attempts whose outcome the copier did not
 * see may be in or out, but as a whole.
 */
final class EosCheck {
    private EosCheck() {
    }

    /**
     * @param output the committed output values in read order
     * @param values how many input values there were ({@code v0..v(values-1)})
     * @throws AssertionError listing every violation found (the first 20 of each kind)
     */
    static void check(List<String> output, int values, Copier copier) {
        Map<String, List<Integer>> byValue = new HashMap<>();
        Map<Integer, Integer> perAttempt = new TreeMap<>();
        List<String> malformed = new ArrayList<>();
        for (String v : output) {
            int at = v.lastIndexOf('@');
            if (at < 0) {
                malformed.add(v);
                continue;
            }
            int attempt = Integer.parseInt(v.substring(at + 1));
            byValue.computeIfAbsent(v.substring(0, at), k -> new ArrayList<>()).add(attempt);
            perAttempt.merge(attempt, 1, Integer::sum);
        }
        List<String> lost = new ArrayList<>();
        List<String> duplicated = new ArrayList<>();
        for (int i = 0; i < values; i++) {
            List<Integer> attempts = byValue.getOrDefault("v" + i, List.of());
            if (attempts.isEmpty()) {
                lost.add("v" + i);
            } else if (attempts.size() > 1) {
                duplicated.add("v" + i + " by attempts " + attempts);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String v : byValue.keySet()) {
            if (!v.startsWith("v") || !isIndex(v.substring(1), values)) {
                unexpected.add(v);
            }
        }
        List<String> fromAborted = new ArrayList<>();
        List<String> partial = new ArrayList<>();
        perAttempt.forEach((attempt, n) -> {
            if (copier.abortedOnPurpose().contains(attempt)) {
                fromAborted.add(attempt + " (aborted on purpose, " + n + " records)");
            } else if (copier.abortedAfterError().contains(attempt)) {
                fromAborted.add(attempt + " (aborted after an error, " + n + " records)");
            } else if (copier.abandoned().contains(attempt)) {
                fromAborted.add(attempt + " (abandoned to fencing, " + n + " records)");
            }
        });
        copier.committed().forEach((attempt, n) -> {
            int seen = perAttempt.getOrDefault(attempt, 0);
            if (seen != n) {
                partial.add(attempt + " (commit returned, " + seen + " of " + n + " records)");
            }
        });
        StringBuilder problems = new StringBuilder();
        report(problems, "lost values", lost);
        report(problems, "duplicated values", duplicated);
        report(problems, "values never written", unexpected);
        report(problems, "malformed records", malformed);
        report(problems, "records of aborted attempts", fromAborted);
        report(problems, "incomplete committed attempts", partial);
        if (problems.length() > 0) {
            throw new AssertionError("exactly-once violated over " + output.size() + " committed output records ("
                    + copier.summary() + "):" + problems);
        }
        if (output.size() != values) {
            throw new AssertionError(output.size() + " output records for " + values + " input values");
        }
    }

    private static boolean isIndex(String s, int values) {
        try {
            int i = Integer.parseInt(s);
            return i >= 0 && i < values && s.equals(Integer.toString(i));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void report(StringBuilder out, String kind, List<String> found) {
        if (!found.isEmpty()) {
            out.append("\n  ").append(found.size()).append(' ').append(kind).append(": ")
                    .append(found.subList(0, Math.min(20, found.size())));
        }
    }
}
