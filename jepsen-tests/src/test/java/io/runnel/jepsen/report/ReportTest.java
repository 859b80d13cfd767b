package io.runnel.jepsen.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.runnel.jepsen.check.Anomaly;
import io.runnel.jepsen.check.CheckResult;
import io.runnel.jepsen.history.History;
import io.runnel.jepsen.history.Op;
import io.runnel.jepsen.nemesis.NemesisEvent;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** A synthetic 30 s history: sends and polls, some info and fail, with fake times. */
    private static List<Op> history() {
        List<Op> ops = new ArrayList<>();
        long t = 0;
        long offset = 0;
        for (int i = 0; i < 600; i++) {
            t += 50_000_000L;
            int p = i % 3;
            ops.add(Op.sendInvoke(0, p, i).at(ops.size(), t));
            Op done = i % 50 == 7 ? Op.sendError(0, Op.Type.INFO, p, i, "timeout")
                    : i % 90 == 3 ? Op.sendError(0, Op.Type.FAIL, p, i, "unknown topic")
                    : Op.sendOk(0, p, i, offset++);
            ops.add(done.at(ops.size(), t + 2_000_000L + (i % 13) * 1_000_000L));
            ops.add(Op.invoke(1, Op.F.POLL).at(ops.size(), t + 1_000_000L));
            ops.add(Op.readOk(1, Op.F.POLL, Map.of(p, List.of(new Op.Read(offset, i)))).at(ops.size(),
                    t + 4_000_000L));
        }
        return ops;
    }

    private static List<NemesisEvent> nemesis() {
        return List.of(new NemesisEvent(5_000_000_000L, "partition", "start", "halves", List.of(1, 2, 3)),
                new NemesisEvent(12_000_000_000L, "partition", "stop", "heal", List.of(1, 2, 3)),
                new NemesisEvent(20_000_000_000L, "pause", "start", "SIGSTOP n2", List.of(2)));
    }

    @Test
    void plotsAreReadablePngs() throws Exception {
        Plots.rate(history(), nemesis(), dir.resolve("rate.png"));
        Plots.latency(history(), nemesis(), dir.resolve("latency.png"));
        for (String f : List.of("rate.png", "latency.png")) {
            BufferedImage img = ImageIO.read(dir.resolve(f).toFile());
            assertNotNull(img, f);
            assertEquals(1000, img.getWidth());
            assertEquals(500, img.getHeight());
        }
    }

    @Test
    void summaryAndResultsCarryTheVerdictAndCounts() throws Exception {
        CheckResult r = new CheckResult(List.of(
                new Anomaly(Anomaly.Kind.LOST_WRITE, 1, "partition 1: value 4 lost", List.of(3L, 9L)),
                new Anomaly(Anomaly.Kind.LOST_WRITE, 1, "partition 1: value 5 lost", List.of(4L, 9L)),
                new Anomaly(Anomaly.Kind.UNSEEN, 2, "partition 2: value 7 unseen", List.of(5L))),
                600, 580, 6, 12, 570, true);
        RunInfo info = new RunInfo(42, 5, "queue", List.of("partition", "pause"), 30, 100, "netns",
                1_796_000_000_000L, 61_000);
        String s = Summary.text(info, r, nemesis());
        assertTrue(s.lines().count() <= 40, s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 110), s);
        assertTrue(s.contains("INVALID: lost-write, unseen"), s);
        assertTrue(s.contains("partition=1") && s.contains("pause=1"), s);
        Path json = dir.resolve("results.json");
        ResultsJson.write(json, info, r, nemesis());
        var o = ResultsJson.read(json);
        assertEquals(false, o.get("valid").asBoolean());
        assertEquals(2, o.get("anomaly-counts").get("lost-write").asInt());
        assertEquals(0, o.get("anomaly-counts").get("duplicate").asInt());
        assertEquals(580, o.get("acked").asLong());
        assertEquals(9, o.get("anomalies").get("lost-write").get(0).get("ops").get(1).asLong());
    }

    @Test
    void timelineRoundTrips() throws Exception {
        Path f = dir.resolve("nemesis.jsonl");
        try (NemesisTimeline t = new NemesisTimeline(f)) {
            nemesis().forEach(t::append);
        }
        assertEquals(nemesis(), NemesisTimeline.read(f));
    }

    @Test
    void aRecordedHistoryPlotsToo() throws Exception {
        Path f = dir.resolve("history.jsonl");
        try (History h = new History(f, System.nanoTime())) {
            h.record(Op.sendInvoke(0, 0, 1));
            h.record(Op.sendOk(0, 0, 1, 0));
        }
        assertTrue(Files.size(f) > 0);
        Plots.rate(io.runnel.jepsen.history.HistoryJson.read(f), List.of(), dir.resolve("r.png"));
        assertNotNull(ImageIO.read(dir.resolve("r.png").toFile()));
    }
}
