package io.runnel.jepsen.nemesis;

import java.util.Random;

/**
 * A fault that can be started and stopped (Jepsen's nemesis). {@link NemesisRunner} calls {@link #start} and
 * {@link #stop} alternately from one thread, on the schedule {@link NemesisSchedule} draws from the run's seed;
 * {@code random} is that schedule's stream, so a seed reproduces the shapes chosen (targets that depend on the
 * cluster's state, such as "the partition-0 leader", are looked up when the fault starts).
 */
public interface Nemesis {

    /** The name users give in {@code --nemesis}. */
    String name();

    /**
     * Starts a fault.
     *
     * @return what was done and to which nodes, or null when nothing could be done (e.g. no live target)
     */
    Fault start(Random random) throws Exception;

    /**
     * Ends the fault started last (heals, resumes, restarts, resets clocks).
     *
     * @return what was done, or null when nothing was active
     */
    Fault stop() throws Exception;

    /**
     * What a nemesis did.
     *
     * @param description for people, e.g. {@code isolate n3 (partition-0 leader)}
     * @param nodes       the node ids touched
     */
    record Fault(String description, java.util.List<Integer> nodes) {
        public Fault {
            nodes = java.util.List.copyOf(nodes);
        }
    }
}
