package dev.marquee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every simulated event, written as a log line in each form, parses back to itself. */
class CmcdRoundTripTest {
    static final Instant START = Instant.parse("2026-11-20T20:00:00Z");

    @ParameterizedTest
    @EnumSource(CmcdRenderer.Form.class)
    void simulatedEventsSurviveRenderAndParse(CmcdRenderer.Form form) {
        List<PlaybackEvent> events =
                TelemetrySimulator.builder()
                        .seed(3)
                        .start(START)
                        .duration(Duration.ofMinutes(20))
                        .sessionsPerMinute(30)
                        .titles(List.of("eidr:10.5240/1A2B-3C4D-5E6F-7A8B-9C0D-E", "t-2"))
                        .premiere("t-new", START.plusSeconds(300))
                        .incident(
                                Incident.failingDevice(
                                        DeviceClass.TV, START, START.plusSeconds(900)))
                        .build()
                        .stream()
                        .toList();
        CmcdRenderer renderer = new CmcdRenderer();
        CmcdParser parser = new CmcdParser();

        assertThat(events).hasSizeGreaterThan(2_000);
        for (PlaybackEvent event : events) {
            String line = renderer.render(event, form);
            CmcdParser.Result result = parser.parse(line);
            assertThat(result.error()).as(line).isNull();
            assertThat(result.event()).as(line).isEqualTo(event);
        }
    }
}
