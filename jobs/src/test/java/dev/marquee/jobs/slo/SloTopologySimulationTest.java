package dev.marquee.jobs.slo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.time.EventTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole SLO topology (sessions, windows, CEP, burn rates, lifecycle) on simulated traffic with
 * a slow license server, without Kafka: license p95 alerts are raised during the incident, once per
 * series, and each is recovered by name after it.
 */
class SloTopologySimulationTest {
    static final Instant START = Instant.parse("2026-11-20T11:00:00Z");
    static final Instant FROM = START.plus(Duration.ofMinutes(10));
    static final Instant TO = START.plus(Duration.ofMinutes(22));

    @RegisterExtension
    static final MiniClusterExtension FLINK =
            dev.marquee.jobs.testing.LoopbackMiniCluster.extension();

    @Test
    void aSlowLicenseServerIsAlertedPerSeriesAndRecovered() throws Exception {
        List<PlaybackEvent> events =
                TelemetrySimulator.builder()
                        .seed(7)
                        .start(START)
                        .duration(Duration.ofMinutes(35))
                        .sessionsPerMinute(40)
                        .territories(List.of("JP"))
                        .incident(Incident.slowLicense(FROM, TO, 400))
                        .build()
                        .stream()
                        .toList();
        SloTopology.Settings settings = SloTopology.Settings.defaults().withMinSamples(5);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        env.setParallelism(2);
        DataStream<PlaybackEvent> source =
                env.fromData(
                                new AvroTypeInfo<>(PlaybackEvent.class),
                                events.toArray(new PlaybackEvent[0]))
                        .assignTimestampsAndWatermarks(
                                EventTime.<PlaybackEvent>bounded(
                                        Duration.ofSeconds(30),
                                        Duration.ofMinutes(1),
                                        (e, previous) -> e.getAt().toEpochMilli()));
        SloTopology.Outputs out = SloTopology.fromEvents(source, settings);
        DataStream<String> tagged =
                out.metrics().map(m -> "M " + m).union(out.alerts().map(a -> "A " + a));
        List<String> lines = new ArrayList<>();
        try (CloseableIterator<String> it = tagged.executeAndCollect()) {
            it.forEachRemaining(lines::add);
        }
        List<String> license =
                lines.stream()
                        .filter(l -> l.startsWith("A ") && l.contains("LICENSE_LATENCY_P95_MS"))
                        .toList();
        List<String> raised =
                license.stream().filter(l -> l.contains("\"kind\": \"SUSTAINED_BREACH\"")).toList();
        List<String> recovered =
                license.stream().filter(l -> l.contains("\"kind\": \"RECOVERY\"")).toList();
        assertThat(raised).as("alerts: %s", license).isNotEmpty();
        assertThat(recovered).hasSameSizeAs(raised);
        for (String alert : raised) {
            String id = alert.replaceAll(".*\"alertId\": \"([^\"]+)\".*", "$1");
            assertThat(Instant.parse(id.substring(id.indexOf("P95_MS:") + 7)))
                    .as("first breached window of %s inside the incident", id)
                    .isBetween(FROM, TO);
            assertThat(recovered).anyMatch(r -> r.contains("\"recovers\": \"" + id + "\""));
        }
        assertThat(
                        lines.stream()
                                .filter(l -> l.startsWith("M ") && l.contains("LICENSE_LATENCY"))
                                .filter(l -> l.contains("\"breached\": true"))
                                .count())
                .isPositive();
    }
}
