package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.compliance.ComplianceTopology;
import dev.marquee.jobs.compliance.PlaybackComplianceJob;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The playback compliance job end to end on a real broker, registry and MiniCluster: availability
 * versions of a title on catalog.availability (as the rights lifecycle job writes them), playback
 * starts before, inside and after its window, in an unlicensed format and of a title with no right,
 * read back exactly once from compliance.violations with the reason and the missing right.
 */
@ExtendWith(Platform.class)
class PlaybackComplianceIT {
    static final Instant OPENS = Instant.parse("2026-11-20T20:00:00Z");
    static final Instant CLOSES = OPENS.plus(Duration.ofHours(2));

    @RegisterExtension static final MiniClusterExtension FLINK = Platform.miniCluster();

    /** A broker of its own, next to the shared registry. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    static Availability version(Instant from, boolean available, Instant until, List<String> f) {
        return Availability.newBuilder()
                .setContentId("c-zelda")
                .setTerritory("JP")
                .setAvailable(available)
                .setEffectiveFrom(from)
                .setUntil(until)
                .setRightId("r-sony-1")
                .setFormatProfiles(f)
                .build();
    }

    static PlaybackEvent play(
            String session, String title, PlaybackEventType type, Instant at, String format) {
        return PlaybackEvent.newBuilder()
                .setSessionId(session)
                .setEventType(type)
                .setAt(at)
                .setContentId(title)
                .setTerritory("JP")
                .setDeviceClass(DeviceClass.TV)
                .setFormatProfile(format)
                .build();
    }

    @Test
    void everyStartIsCheckedAtItsInstantAndViolationsNameTheMissingRight() throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        try (EventTimePublisher publisher = new EventTimePublisher(clients)) {
            for (Availability a :
                    List.of(
                            version(OPENS.minus(Duration.ofDays(1)), false, OPENS, List.of()),
                            version(OPENS, true, CLOSES, List.of("HD")),
                            version(CLOSES, false, null, List.of()))) {
                publisher.send(
                        Topic.CATALOG_AVAILABILITY,
                        a.getContentId() + "|" + a.getTerritory(),
                        a,
                        a.getEffectiveFrom());
            }
        }
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
        PlaybackComplianceJob.wire(
                env,
                job,
                ComplianceTopology.Settings.defaults().withIdleness(Duration.ofSeconds(3)));
        JobClient running = env.executeAsync(ComplianceTopology.JOB);
        try {
            try (EventTimePublisher publisher = new EventTimePublisher(clients)) {
                for (PlaybackEvent e :
                        List.of(
                                play(
                                        "s-early",
                                        "c-zelda",
                                        PlaybackEventType.START,
                                        OPENS.minusSeconds(600),
                                        "HD"),
                                play(
                                        "s-ok",
                                        "c-zelda",
                                        PlaybackEventType.START,
                                        OPENS.plusSeconds(600),
                                        "HD"),
                                play(
                                        "s-ok",
                                        "c-zelda",
                                        PlaybackEventType.FIRST_FRAME,
                                        OPENS.plusSeconds(602),
                                        "HD"),
                                play(
                                        "s-uhd",
                                        "c-zelda",
                                        PlaybackEventType.START,
                                        OPENS.plusSeconds(1200),
                                        "UHD"),
                                play(
                                        "s-nothing",
                                        "c-nothing",
                                        PlaybackEventType.START,
                                        OPENS.plusSeconds(1800),
                                        null),
                                play(
                                        "s-after",
                                        "c-zelda",
                                        PlaybackEventType.START,
                                        CLOSES.plusSeconds(300),
                                        "SD"),
                                // Moves event time past the last start (not itself a start).
                                play(
                                        "s-later",
                                        "c-zelda",
                                        PlaybackEventType.SEGMENT,
                                        CLOSES.plus(Duration.ofHours(1)),
                                        "SD"))) {
                    publisher.send(Topic.PLAYBACK_TELEMETRY, e.getSessionId(), e, e.getAt());
                }
                publisher.sendRaw(
                        Topic.PLAYBACK_TELEMETRY.topicName(),
                        "s-garbled",
                        "not avro".getBytes(StandardCharsets.UTF_8),
                        CLOSES);
            }

            List<ComplianceViolation> violations =
                    PlaybackSloIT.await(
                            clients,
                            Topic.COMPLIANCE_VIOLATIONS.topicName(),
                            ComplianceViolation.class,
                            all -> all.size() >= 4);
            assertThat(violations)
                    .extracting(v -> v.getSessionId() + " " + v.getReason())
                    .containsExactlyInAnyOrder(
                            "s-early WINDOW_CLOSED",
                            "s-uhd FORMAT_NOT_LICENSED",
                            "s-nothing NO_RIGHT",
                            "s-after WINDOW_CLOSED");
            ComplianceViolation uhd =
                    violations.stream()
                            .filter(v -> v.getSessionId().equals("s-uhd"))
                            .findFirst()
                            .orElseThrow();
            assertThat(uhd.getMissing()).contains("UHD").contains("r-sony-1").contains("[HD]");
            assertThat(uhd.getLastRightId()).isEqualTo("r-sony-1");
            assertThat(
                            violations.stream()
                                    .filter(v -> v.getSessionId().equals("s-nothing"))
                                    .findFirst()
                                    .orElseThrow()
                                    .getMissing())
                    .startsWith("no active right for c-nothing in JP at 2026-11-20T20:30:00Z");

            List<DeadLetter> letters =
                    PlaybackSloIT.await(
                            clients,
                            Topic.PLAYBACK_TELEMETRY.dlqName(),
                            DeadLetter.class,
                            all -> !all.isEmpty());
            assertThat(letters)
                    .extracting(d -> d.getKey() + " " + d.getCategory() + " " + d.getJob())
                    .containsExactly("s-garbled UNDECODABLE " + ComplianceTopology.JOB);
            Thread.sleep(3000);
            assertThat(
                            clients.readAll(
                                    Topic.COMPLIANCE_VIOLATIONS.topicName(),
                                    ComplianceViolation.class))
                    .as("exactly once, nothing more")
                    .hasSize(4);
        } finally {
            running.cancel().get();
        }
    }
}
