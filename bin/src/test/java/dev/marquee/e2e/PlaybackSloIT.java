package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.slo.PlaybackSloJob;
import dev.marquee.jobs.slo.SloTopology;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The playback SLO job end to end on a real broker, registry and MiniCluster: 35 simulated minutes
 * of player traffic with a slow license server from minute 10 to 22, through the registry's Avro,
 * out through exactly-once sinks read back read_committed: per-window SLIs on slo.metrics, one
 * sustained-breach alert per affected series raised during the incident and a recovery naming it,
 * nothing before the incident, and a record that is not Avro plus a late event on the DLQ.
 */
@ExtendWith(Platform.class)
class PlaybackSloIT {
    static final Instant START = Instant.parse("2026-11-20T11:00:00Z"); // 20:00 in Japan
    static final Instant INCIDENT_FROM = START.plus(Duration.ofMinutes(10));
    static final Instant INCIDENT_TO = START.plus(Duration.ofMinutes(22));

    @RegisterExtension static final MiniClusterExtension FLINK = Platform.miniCluster();

    /** Its own broker: event time on playback.telemetry must not see other tests' records. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    static SloTopology.Settings settings() {
        return SloTopology.Settings.defaults()
                .withIdleness(Duration.ofSeconds(30))
                .withMinSamples(5);
    }

    @Test
    void slowLicensesRaiseOneAlertPerSeriesAndRecoverItByName() throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        JobSettings job =
                JobSettings.local(
                        BROKER.endpoints().bootstrapServers(),
                        BROKER.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        "it-" + System.nanoTime());
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        env.setParallelism(2);
        job.reuseObjects(env); // as the job runs deployed
        PlaybackSloJob.wire(env, job, settings());
        JobClient running = env.executeAsync(SloTopology.JOB);
        try {
            TelemetrySimulator sim =
                    TelemetrySimulator.builder()
                            .seed(7)
                            .start(START)
                            .duration(Duration.ofMinutes(35))
                            .sessionsPerMinute(40)
                            .territories(List.of("JP"))
                            .incident(Incident.slowLicense(INCIDENT_FROM, INCIDENT_TO, 400))
                            .build();
            try (EventTimePublisher publisher = new EventTimePublisher(clients)) {
                for (Iterator<PlaybackEvent> it = sim.events(); it.hasNext(); ) {
                    PlaybackEvent e = it.next();
                    publisher.send(Topic.PLAYBACK_TELEMETRY, e.getSessionId(), e, e.getAt());
                }
                publisher.sendRaw(
                        Topic.PLAYBACK_TELEMETRY.topicName(),
                        "s-garbled",
                        "not avro".getBytes(StandardCharsets.UTF_8),
                        sim.end());
                publisher.flush();
                // Once event time has moved on, a straggler from the first minute is late.
                Thread.sleep(3000);
                PlaybackEvent straggler =
                        PlaybackEvent.newBuilder()
                                .setSessionId("s-straggler")
                                .setEventType(PlaybackEventType.START)
                                .setAt(START.plusSeconds(5))
                                .setContentId("title-001")
                                .setTerritory("JP")
                                .setDeviceClass(DeviceClass.TV)
                                .build();
                publisher.send(
                        Topic.PLAYBACK_TELEMETRY, "s-straggler", straggler, straggler.getAt());
            }

            List<SloAlert> alerts =
                    await(
                            clients,
                            Topic.SLO_ALERTS.topicName(),
                            SloAlert.class,
                            all ->
                                    all.stream()
                                            .anyMatch(
                                                    a ->
                                                            a.getKind() == AlertKind.RECOVERY
                                                                    && a.getSli()
                                                                            .equals(
                                                                                    Sli
                                                                                            .LICENSE_LATENCY_P95_MS
                                                                                            .name())));
            alerts.forEach(
                    a -> System.out.println("alert: " + a.getAlertId() + " " + a.getSummary()));
            List<SloAlert> license =
                    alerts.stream()
                            .filter(a -> a.getSli().equals(Sli.LICENSE_LATENCY_P95_MS.name()))
                            .toList();
            List<SloAlert> raised =
                    license.stream()
                            .filter(a -> a.getKind() == AlertKind.SUSTAINED_BREACH)
                            .toList();
            assertThat(raised).as("license alerts: %s", license).isNotEmpty();
            for (SloAlert a : raised) {
                assertThat(a.getEvidence()).hasSize(3);
                assertThat(a.getEvidence())
                        .allSatisfy(
                                w -> {
                                    assertThat(w.getWindowStart()).isAfterOrEqualTo(INCIDENT_FROM);
                                    assertThat(w.getWindowEnd()).isBeforeOrEqualTo(INCIDENT_TO);
                                    assertThat(w.getValue()).isGreaterThanOrEqualTo(100.0);
                                    assertThat(w.getTarget()).isEqualTo(100.0);
                                });
            }
            assertThat(raised.stream().map(a -> a.getTerritory() + "/" + a.getDeviceClass()))
                    .as("no alert storm: one per series")
                    .doesNotHaveDuplicates();
            assertThat(alerts.stream().map(SloAlert::getAlertId))
                    .as("exactly once")
                    .doesNotHaveDuplicates();

            List<SloAlert> recoveries =
                    await(
                                    clients,
                                    Topic.SLO_ALERTS.topicName(),
                                    SloAlert.class,
                                    all ->
                                            all.stream()
                                                    .filter(a -> a.getKind() == AlertKind.RECOVERY)
                                                    .map(SloAlert::getRecovers)
                                                    .collect(Collectors.toSet())
                                                    .containsAll(
                                                            raised.stream()
                                                                    .map(SloAlert::getAlertId)
                                                                    .toList()))
                            .stream()
                            .filter(a -> a.getKind() == AlertKind.RECOVERY)
                            .filter(a -> a.getSli().equals(Sli.LICENSE_LATENCY_P95_MS.name()))
                            .toList();
            assertThat(recoveries).hasSameSizeAs(raised);
            assertThat(recoveries)
                    .allSatisfy(r -> assertThat(r.getRaisedAt()).isAfter(INCIDENT_TO));

            List<SloMetric> metrics =
                    clients.readAll(Topic.SLO_METRICS.topicName(), SloMetric.class);
            List<SloMetric> jpTvLicense =
                    metrics.stream()
                            .filter(m -> m.getSli() == Sli.LICENSE_LATENCY_P95_MS)
                            .filter(m -> m.getTerritory().equals("JP"))
                            .filter(m -> m.getDeviceClass().equals("TV"))
                            .toList();
            assertThat(jpTvLicense)
                    .as("JP/TV, the busiest series: healthy before, breached during")
                    .filteredOn(m -> m.getWindowEnd().isBefore(INCIDENT_FROM))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getBreached()).isFalse());
            assertThat(jpTvLicense)
                    .filteredOn(m -> !m.getWindowStart().isBefore(INCIDENT_FROM))
                    .filteredOn(m -> !m.getWindowEnd().isAfter(INCIDENT_TO))
                    .isNotEmpty()
                    .allSatisfy(m -> assertThat(m.getBreached()).isTrue());
            assertThat(metrics)
                    .extracting(SloMetric::getSli)
                    .contains(
                            Sli.PLAYBACK_SUCCESS_RATE,
                            Sli.VIDEO_START_FAILURES,
                            Sli.REBUFFERING_RATIO,
                            Sli.CDN_CACHE_HIT_RATIO);
            assertThat(
                            metrics.stream()
                                    .map(
                                            m ->
                                                    m.getTerritory()
                                                            + m.getDeviceClass()
                                                            + m.getPop()
                                                            + m.getSli()
                                                            + m.getWindowStart())
                                    .toList())
                    .as("each series-window once")
                    .doesNotHaveDuplicates();

            List<DeadLetter> letters =
                    await(
                            clients,
                            Topic.PLAYBACK_TELEMETRY.dlqName(),
                            DeadLetter.class,
                            all -> all.size() >= 2);
            assertThat(letters)
                    .extracting(d -> d.getKey() + " " + d.getCategory())
                    .contains(
                            "s-garbled " + DeadLetterCategory.UNDECODABLE,
                            "s-straggler " + DeadLetterCategory.LATE);
        } finally {
            running.cancel().get();
        }
    }

    static <T extends org.apache.avro.specific.SpecificRecord> List<T> await(
            TopicClients clients, String topic, Class<T> type, Predicate<List<T>> done)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        List<T> records = List.of();
        while (System.nanoTime() < deadline) {
            records = clients.readAll(topic, type);
            if (done.test(records)) {
                return records;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("timed out waiting on " + topic + "; have " + records);
    }
}
