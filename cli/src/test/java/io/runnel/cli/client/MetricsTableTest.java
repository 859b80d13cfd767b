package io.runnel.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

/** The {@code --print-metrics} table layout. */
class MetricsTableTest {

    private static Metric metric(MetricName name, Object value) {
        return new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        };
    }

    @Test
    void sortsByNamePadsAndPrintsDoublesWithThreeDecimals() {
        MetricName rate = new MetricName("record-send-rate", "producer-metrics", "", Map.of("client-id", "c"));
        MetricName version = new MetricName("version", "app-info", "", Map.of("client-id", "c"));
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        metrics.put(rate, metric(rate, 1234.56789));
        metrics.put(version, metric(version, "4.2.2"));

        String longest = "producer-metrics:record-send-rate:{client-id=c}";
        String pad = " ".repeat(longest.length() - "app-info:version:{client-id=c}".length());
        assertEquals(List.of(
                "",
                "Metric Name" + " ".repeat(longest.length() - "Metric Name".length()) + "   Value",
                "app-info:version:{client-id=c}" + pad + " : 4.2.2",
                longest + " : 1234.568"),
                MetricsTable.lines(metrics));
        assertEquals(List.of(), MetricsTable.lines(Map.of()));
    }
}
