package io.runnel.jepsen.report;

import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.nemesis.NemesisEvent;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The run's two PNG plots, drawn with JFreeChart in the manner of Jepsen's {@code rate.png} and
 * {@code latency-raw.png}: x is seconds since the run's start, series are (function, outcome) pairs coloured by
 * outcome (ok blue, info orange, fail red; sends solid or round, polls dashed or square), nemesis intervals shaded one
 * colour per nemesis. Drain operations are left out (they are the check, not the workload). 1000 x 500 px.
 */
public final class Plots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 500;
    private static final Map<Op.Type, Color> COLORS = Map.of(Op.Type.OK, new Color(0x2F6FBF),
            Op.Type.INFO, new Color(0xF0A020), Op.Type.FAIL, new Color(0xD0202A));
    private static final Map<String, Color> NEMESIS_COLORS = Map.of("partition", new Color(0xE05050),
            "packet", new Color(0x9060D0), "kill", new Color(0x404040), "pause", new Color(0x40A0A0),
            "clock", new Color(0xC0A000));

    private Plots() {
    }

    /**
     * Completions per second (1 s buckets) of queue sends and polls, kv writes and reads, or transactions, by
     * outcome.
     */
    public static void rate(List<Op> history, List<NemesisEvent> nemesis, Path png) {
        Map<String, TreeMap<Long, Integer>> buckets = new LinkedHashMap<>();
        double end = 0;
        for (Op op : history) {
            end = Math.max(end, op.time() / 1e9);
            if (op.isCompletion() && plotted(op)) {
                buckets.computeIfAbsent(key(op), k -> new TreeMap<>()).merge(op.time() / 1_000_000_000L, 1,
                        Integer::sum);
            }
        }
        XYSeriesCollection data = new XYSeriesCollection();
        long last = (long) end;
        for (String k : ordered(buckets.keySet())) {
            XYSeries s = new XYSeries(k);
            for (long sec = 0; sec <= last; sec++) {
                s.add(sec + 0.5, buckets.get(k).getOrDefault(sec, 0));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(workload(history) + ": throughput", "time (s)",
                "operations / s", data,
                PlotOrientation.VERTICAL, true, false, false);
        style(chart, data, false);
        shade(chart.getXYPlot(), nemesis, end);
        save(chart, png);
    }

    /**
     * Each completed queue send and poll's (kv: write and read's) latency (invocation to completion, ms, log scale)
     * at its completion time.
     */
    public static void latency(List<Op> history, List<NemesisEvent> nemesis, Path png) {
        Map<Integer, Op> open = new HashMap<>();
        Map<String, XYSeries> series = new LinkedHashMap<>();
        double end = 0;
        for (Op op : history) {
            end = Math.max(end, op.time() / 1e9);
            if (!plotted(op)) {
                continue;
            }
            if (op.type() == Op.Type.INVOKE) {
                open.put(op.process(), op);
                continue;
            }
            Op inv = open.remove(op.process());
            if (inv == null || inv.f() != op.f()) {
                continue;
            }
            double ms = Math.max(0.1, (op.time() - inv.time()) / 1e6);
            series.computeIfAbsent(key(op), XYSeries::new).add(op.time() / 1e9, ms);
        }
        XYSeriesCollection data = new XYSeriesCollection();
        ordered(series.keySet()).forEach(k -> data.addSeries(series.get(k)));
        JFreeChart chart = ChartFactory.createScatterPlot(workload(history) + ": latency", "time (s)",
                "latency (ms)", data,
                PlotOrientation.VERTICAL, true, false, false);
        LogAxis y = new LogAxis("latency (ms)");
        y.setSmallestValue(0.1);
        y.setBase(10);
        y.setNumberFormatOverride(new java.text.DecimalFormat("#,##0.#"));
        chart.getXYPlot().setRangeAxis(y);
        style(chart, data, true);
        shade(chart.getXYPlot(), nemesis, end);
        save(chart, png);
    }

    /** The client operations plotted: queue sends and polls, kv writes and read passes, transactions. */
    private static boolean plotted(Op op) {
        return op.f() == Op.F.SEND || op.f() == Op.F.POLL || op.f() == Op.F.WRITE || op.f() == Op.F.READ
                || op.f() == Op.F.TXN;
    }

    /** {@code kv} for a history holding kv writes, {@code txn} for one holding transactions, else {@code queue}. */
    private static String workload(List<Op> history) {
        return history.stream().anyMatch(op -> op.f() == Op.F.WRITE) ? "kv"
                : history.stream().anyMatch(op -> op.f() == Op.F.TXN) ? "txn" : "queue";
    }

    private static String key(Op op) {
        return op.f().json() + " " + op.type().json();
    }

    private static List<String> ordered(java.util.Collection<String> keys) {
        return keys.stream().sorted().toList();
    }

    private static Op.Type typeOf(String key) {
        return Op.Type.valueOf(key.substring(key.indexOf(' ') + 1).toUpperCase(java.util.Locale.ROOT));
    }

    private static void style(JFreeChart chart, XYSeriesCollection data, boolean scatter) {
        chart.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        XYItemRenderer r = plot.getRenderer();
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String key = (String) data.getSeriesKey(i);
            Color c = COLORS.get(typeOf(key));
            boolean poll = key.startsWith("poll");
            if (scatter) {
                r.setSeriesPaint(i, new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
                r.setSeriesShape(i, poll ? new Rectangle2D.Double(-1.5, -1.5, 3, 3)
                        : new Ellipse2D.Double(-1.5, -1.5, 3, 3));
            } else {
                r.setSeriesPaint(i, poll ? c.darker() : c);
                r.setSeriesStroke(i, poll ? new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                        10f, new float[] {6f, 4f}, 0f) : new BasicStroke(1.5f));
            }
        }
    }

    private static void shade(XYPlot plot, List<NemesisEvent> nemesis, double end) {
        for (FaultIntervals.Interval i : FaultIntervals.of(nemesis, end)) {
            Color c = NEMESIS_COLORS.getOrDefault(i.nemesis(), Color.GRAY);
            IntervalMarker m = new IntervalMarker(i.startSec(), i.endSec(),
                    new Color(c.getRed(), c.getGreen(), c.getBlue(), 40));
            m.setLabel(i.nemesis());
            m.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            m.setLabelPaint(c.darker());
            m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(TextAnchor.TOP_LEFT);
            plot.addDomainMarker(m, org.jfree.chart.ui.Layer.BACKGROUND);
        }
    }

    private static void save(JFreeChart chart, Path png) {
        try {
            ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
