package io.runnel.cli.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * The {@code --print-metrics} table of Kafka's perf tools: an empty line, a {@code Metric Name   Value} header, then
 * one {@code group:name:{tags} : value} line per metric in name order, doubles with three decimals.
 */
public final class MetricsTable {

    private MetricsTable() {}

    /**
     * @param metrics a client's {@code metrics()}
     * @return the table's lines; empty when there are no metrics
     */
    public static List<String> lines(Map<MetricName, ? extends Metric> metrics) {
        List<String> lines = new ArrayList<>();
        if (metrics == null || metrics.isEmpty()) {
            return lines;
        }
        TreeMap<String, Object> sorted = new TreeMap<>();
        int width = 0;
        for (Metric metric : metrics.values()) {
            MetricName n = metric.metricName();
            String name = n.group() + ":" + n.name() + ":" + n.tags();
            width = Math.max(width, name.length());
            sorted.put(name, metric.metricValue());
        }
        lines.add("");
        lines.add(String.format(Locale.ROOT, "%-" + width + "s   %s", "Metric Name", "Value"));
        for (Map.Entry<String, Object> e : sorted.entrySet()) {
            String format = e.getValue() instanceof Double ? "%-" + width + "s : %.3f" : "%-" + width + "s : %s";
            lines.add(String.format(Locale.ROOT, format, e.getKey(), e.getValue()));
        }
        return lines;
    }
}
