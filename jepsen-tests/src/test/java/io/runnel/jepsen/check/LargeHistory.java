package io.runnel.jepsen.check;

import io.runnel.jepsen.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A long queue history for the checker's speed tests: 8 partitions, 8 producers sending to them in turn (a gap in
 * offsets every 97 records, as transaction markers leave), 4 consumers polling up to 3 records per partition after
 * every 4 sends, then one drain reading 500 records per partition per op.
 */
final class LargeHistory {
    private static final int PARTITIONS = 8;

    private LargeHistory() {
    }

    /**
     * @param ops    about how many entries
     * @param broken when true, the consumers skip every offset ending in 5 and the drain reads another value at every
     *               offset: inconsistent offsets and unseen values everywhere, lost writes and poll skips
     */
    static List<Op> build(int ops, boolean broken) {
        HistoryBuilder h = new HistoryBuilder();
        List<List<long[]>> log = new ArrayList<>();
        long[] next = new long[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            log.add(new ArrayList<>());
        }
        int[][] position = new int[4][PARTITIONS];
        for (int c = 0; c < 4; c++) {
            h.assign(10 + c, 0, 1, 2, 3, 4, 5, 6, 7);
        }
        long value = 0;
        int drainOps = ops / 1000;
        for (int i = 0; h.size() < ops - drainOps * 2 - 2; i++) {
            int p = i % PARTITIONS;
            long offset = next[p];
            next[p] += offset % 97 == 96 ? 2 : 1;
            h.sendOk((i / PARTITIONS) % 8, p, value, offset);
            log.get(p).add(new long[] {offset, value});
            value++;
            if (i % 4 == 3) {
                int c = (i / 4) % 4;
                Map<Integer, List<Op.Read>> reads = new HashMap<>();
                for (int q = 0; q < PARTITIONS; q++) {
                    List<Op.Read> rs = new ArrayList<>();
                    while (rs.size() < 3 && position[c][q] < log.get(q).size()) {
                        long[] rec = log.get(q).get(position[c][q]++);
                        if (!broken || rec[0] % 10 != 5) {
                            rs.add(new Op.Read(rec[0], rec[1]));
                        }
                    }
                    if (!rs.isEmpty()) {
                        reads.put(q, rs);
                    }
                }
                h.poll(10 + c, reads);
            }
        }
        h.assign(20, 0, 1, 2, 3, 4, 5, 6, 7);
        int[] drained = new int[PARTITIONS];
        boolean more = true;
        while (more) {
            more = false;
            Map<Integer, List<Op.Read>> reads = new HashMap<>();
            for (int q = 0; q < PARTITIONS; q++) {
                List<Op.Read> rs = new ArrayList<>();
                while (rs.size() < 500 && drained[q] < log.get(q).size()) {
                    long[] rec = log.get(q).get(drained[q]++);
                    rs.add(new Op.Read(rec[0], broken ? rec[1] + 1_000_000_000L : rec[1]));
                }
                if (!rs.isEmpty()) {
                    reads.put(q, rs);
                }
                more |= drained[q] < log.get(q).size();
            }
            h.drain(20, reads);
        }
        return h.ops();
    }
}
