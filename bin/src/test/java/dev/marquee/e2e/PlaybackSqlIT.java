package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.schema.ViolationReason;
import dev.marquee.sql.SqlClientLauncher;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The playback SQL queries (jobs/sql/queries) through the real Flink SQL client and the generated
 * catalog, over records written as the jobs write them: each runs to the end and answers with the
 * rows the records imply.
 */
@ExtendWith(Platform.class)
class PlaybackSqlIT {
    static final Instant T0 = Instant.parse("2026-11-20T20:00:00Z");

    /** A broker of its own, next to the shared registry. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    @BeforeAll
    static void publishSample() throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        try (EventTimePublisher p = new EventTimePublisher(clients)) {
            for (int i = 0; i < 10; i++) {
                Instant at = T0.plusSeconds(5 * i);
                p.send(
                        Topic.PLAYBACK_TELEMETRY,
                        "s" + i,
                        event("s" + i, PlaybackEventType.START, at),
                        at);
                PlaybackEvent segment =
                        event("s" + i, PlaybackEventType.SEGMENT, at.plusSeconds(2));
                segment.setCacheHit(i < 7);
                segment.setPop("nrt1");
                p.send(Topic.PLAYBACK_TELEMETRY, "s" + i, segment, at.plusSeconds(2));
            }
            p.send(
                    Topic.PLAYBACK_TELEMETRY,
                    "s0",
                    event("s0", PlaybackEventType.START_FAILURE, T0.plusSeconds(3)),
                    T0.plusSeconds(3));
            for (int m = 0; m < 3; m++) {
                SloMetric metric =
                        SloMetric.newBuilder()
                                .setTerritory("JP")
                                .setDeviceClass("TV")
                                .setSli(Sli.LICENSE_LATENCY_P95_MS)
                                .setWindowStart(T0.plusSeconds(60L * m))
                                .setWindowEnd(T0.plusSeconds(60L * m + 60))
                                .setValue(300 + m)
                                .setTarget(100)
                                .setSamples(40)
                                .setBreached(true)
                                .build();
                p.send(
                        Topic.SLO_METRICS,
                        "JP|TV|LICENSE_LATENCY_P95_MS",
                        metric,
                        metric.getWindowEnd());
            }
            SloAlert alert =
                    SloAlert.newBuilder()
                            .setAlertId("SUSTAINED_BREACH:JP|TV|LICENSE_LATENCY_P95_MS:" + T0)
                            .setKind(AlertKind.SUSTAINED_BREACH)
                            .setSli("LICENSE_LATENCY_P95_MS")
                            .setTerritory("JP")
                            .setDeviceClass("TV")
                            .setRaisedAt(T0.plusSeconds(180))
                            .setEvidence(
                                    List.of(
                                            AlertEvidence.newBuilder()
                                                    .setWindowStart(T0)
                                                    .setWindowEnd(T0.plusSeconds(60))
                                                    .setValue(300)
                                                    .setTarget(100)
                                                    .build()))
                            .setSummary("slow")
                            .build();
            p.send(Topic.SLO_ALERTS, alert.getAlertId(), alert, alert.getRaisedAt());
            ComplianceViolation v =
                    ComplianceViolation.newBuilder()
                            .setSessionId("s9")
                            .setContentId("c-zelda")
                            .setTerritory("JP")
                            .setAt(T0)
                            .setDeviceClass("TV")
                            .setReason(ViolationReason.WINDOW_CLOSED)
                            .setMissing("no active right")
                            .setLastRightId("r-1")
                            .build();
            p.send(Topic.COMPLIANCE_VIOLATIONS, "s9", v, T0);
        }
    }

    static PlaybackEvent event(String session, PlaybackEventType type, Instant at) {
        return PlaybackEvent.newBuilder()
                .setSessionId(session)
                .setEventType(type)
                .setAt(at)
                .setContentId("c-zelda")
                .setTerritory("JP")
                .setDeviceClass(DeviceClass.TV)
                .build();
    }

    static SqlClientLauncher.Result run(String file) throws Exception {
        MarqueeHome home = MarqueeHome.detect();
        String script =
                Files.readString(home.sqlDir().resolve("queries/" + file), StandardCharsets.UTF_8);
        SqlClientLauncher.Result result =
                SqlClientLauncher.runScript(
                        home,
                        BROKER.endpoints().override(null, null, SqlClientLauncher.LOCAL),
                        script,
                        Duration.ofMinutes(3));
        assertThat(result.exitCode()).as(result.output()).isZero();
        return result;
    }

    @Test
    void slisPerMinuteOverATumbleWindow() throws Exception {
        // window_start | territory | device | attempts 10 | start_failures 1 | fatal 0 | success
        // 0.9
        assertThat(run("playback-slis-per-minute.sql").output())
                .containsPattern(
                        "\\|\\s+JP\\s+\\|\\s+TV\\s+\\|\\s+10\\s+\\|\\s+1\\s+\\|\\s+0\\s+\\|\\s+0\\.9");
    }

    @Test
    void cdnHitRatioOverAHopWindow() throws Exception {
        assertThat(run("playback-cdn-hit-ratio.sql").output())
                .containsPattern(
                        "\\|\\s+JP\\s+\\|\\s+nrt1\\s+\\|\\s+10\\s+\\|\\s+0\\.7\\s+\\|\\s+TRUE");
    }

    @Test
    void breachesInTheLastHourByTerritory() throws Exception {
        String out = run("slo-breaches-last-hour.sql").output();
        assertThat(out)
                .containsPattern("\\|\\s+JP\\s+\\|\\s+LICENSE_LATENCY_P95_MS\\s+\\|\\s+3\\s+\\|");
        assertThat(out)
                .containsPattern(
                        "\\|\\s+JP\\s+\\|\\s+SUSTAINED_BREACH\\s+\\|\\s+LICENSE_LATENCY_P95_MS\\s+\\|\\s+1\\s+\\|\\s+0\\s+\\|");
    }

    @Test
    void metricsAndViolationsSummaries() throws Exception {
        assertThat(run("playback-slo-metrics.sql").output())
                .containsPattern(
                        "LICENSE_LATENCY_P95_MS\\s+\\|\\s+JP\\s+\\|\\s+TV\\s+\\|.*\\|\\s+3\\s+\\|\\s+3\\s+\\|");
        assertThat(run("compliance-violations-by-title.sql").output())
                .containsPattern("c-zelda\\s+\\|\\s+JP\\s+\\|\\s+WINDOW_CLOSED\\s+\\|\\s+1\\s+\\|");
    }
}
