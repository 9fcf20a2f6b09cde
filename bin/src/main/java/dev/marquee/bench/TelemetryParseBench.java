package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.telemetry.CmcdParser;
import dev.marquee.telemetry.CmcdRenderer;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * CMCD log lines parsed a second on one thread ({@link CmcdParser}, the first step of telemetry
 * ingest): simulated sessions rendered in each of the three forms, parsed after a warm-up. The
 * lines are in memory, so this measures the parser, not the disk. A 0.3 % share of the lines is
 * bent out of spec (upper-case keys, quoted numbers) so the lenient path is part of the figure.
 */
public final class TelemetryParseBench implements BenchEntry {
    static final int DISTINCT_LINES = 60_000;

    @Override
    public String name() {
        return "telemetry-parse";
    }

    @Override
    public ObjectNode run(BenchContext context) {
        context.log().println("telemetry parse: CMCD log lines, one thread...");
        int lines = context.scaled(1_500_000);
        ObjectNode entry = context.json().createObjectNode();
        entry.put("job", name());
        entry.put("lines", lines);
        double total = 0;
        for (CmcdRenderer.Form form : CmcdRenderer.Form.values()) {
            List<String> sample = lines(form, DISTINCT_LINES);
            double rate = linesPerSecond(sample, lines / 3);
            total += rate;
            context.log().printf("  %-8s %,12.0f lines/s%n", form.name().toLowerCase(), rate);
            entry.put(form.name().toLowerCase() + "LinesPerSecond", Math.round(rate));
        }
        double mean = total / CmcdRenderer.Form.values().length;
        context.log().printf("  mean     %,12.0f lines/s%n", mean);
        entry.put("linesPerSecond", Math.round(mean));
        return entry;
    }

    /** Simulated events as log lines of one form; every 300th one bent out of spec. */
    static List<String> lines(CmcdRenderer.Form form, int count) {
        TelemetrySimulator simulator =
                TelemetrySimulator.builder()
                        .seed(17)
                        .start(Instant.parse("2026-11-20T19:00:00Z"))
                        .duration(Duration.ofHours(2))
                        .sessionsPerMinute(40)
                        .incident(
                                Incident.coldPop(
                                        "fra1",
                                        Instant.parse("2026-11-20T19:30:00Z"),
                                        Instant.parse("2026-11-20T20:00:00Z")))
                        .build();
        CmcdRenderer renderer = new CmcdRenderer();
        List<String> lines = new ArrayList<>(count);
        Iterator<PlaybackEvent> events = simulator.events();
        while (lines.size() < count && events.hasNext()) {
            String line = renderer.render(events.next(), form);
            if (lines.size() % 300 == 299) {
                line = line.replace("sid", "SID").replace("br=(", "br=\"").replace(")", "\")");
            }
            lines.add(line);
        }
        return lines;
    }

    static double linesPerSecond(List<String> sample, int count) {
        CmcdParser parser = new CmcdParser();
        long ok = 0;
        for (String line : sample) { // warm-up
            ok += parser.parse(line).ok() ? 1 : 0;
        }
        long start = System.nanoTime();
        int n = sample.size();
        for (int i = 0; i < count; i++) {
            ok += parser.parse(sample.get(i % n)).ok() ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (ok == 0) {
            throw new IllegalStateException("no line parsed: the bench measures nothing");
        }
        return count / seconds;
    }
}
