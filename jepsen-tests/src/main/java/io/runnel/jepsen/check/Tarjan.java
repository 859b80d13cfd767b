package io.runnel.jepsen.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Tarjan's strongly connected components of a directed graph whose nodes are {@code 0..n-1}, written without
 * recursion (an explicit stack of (node, next edge) frames), so that a history with a million transactions does not
 * overflow the thread's stack. Time and memory linear in nodes plus edges.
 */
final class Tarjan {
    private Tarjan() {
    }

    /**
     * The components with two or more nodes (single nodes are components too, but without self-loops they hold no
     * cycle; callers do not add self-loops).
     *
     * @param adjacency node -> its successors
     * @return each component's nodes, in no particular order
     */
    static List<int[]> components(int[][] adjacency) {
        int n = adjacency.length;
        int[] index = new int[n];
        int[] low = new int[n];
        boolean[] onStack = new boolean[n];
        Arrays.fill(index, -1);
        int[] stack = new int[n];
        int sp = 0;
        int[] frameNode = new int[n];
        int[] frameEdge = new int[n];
        int next = 0;
        List<int[]> out = new ArrayList<>();
        for (int root = 0; root < n; root++) {
            if (index[root] >= 0) {
                continue;
            }
            int fp = 0;
            frameNode[fp] = root;
            frameEdge[fp] = 0;
            index[root] = low[root] = next++;
            stack[sp++] = root;
            onStack[root] = true;
            while (fp >= 0) {
                int v = frameNode[fp];
                if (frameEdge[fp] < adjacency[v].length) {
                    int w = adjacency[v][frameEdge[fp]++];
                    if (index[w] < 0) {
                        index[w] = low[w] = next++;
                        stack[sp++] = w;
                        onStack[w] = true;
                        fp++;
                        frameNode[fp] = w;
                        frameEdge[fp] = 0;
                    } else if (onStack[w]) {
                        low[v] = Math.min(low[v], index[w]);
                    }
                    continue;
                }
                if (low[v] == index[v]) {
                    int start = sp;
                    do {
                        start--;
                    } while (stack[start] != v);
                    if (sp - start > 1) {
                        out.add(Arrays.copyOfRange(stack, start, sp));
                    }
                    for (int i = start; i < sp; i++) {
                        onStack[stack[i]] = false;
                    }
                    sp = start;
                }
                fp--;
                if (fp >= 0) {
                    int parent = frameNode[fp];
                    low[parent] = Math.min(low[parent], low[v]);
                }
            }
        }
        return out;
    }
}
