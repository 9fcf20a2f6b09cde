package dev.marquee.demo;

import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.compliance.ComplianceTopology;
import dev.marquee.jobs.compliance.EntitlementRule;
import dev.marquee.jobs.compliance.PlaybackComplianceJob;
import dev.marquee.jobs.slo.PlaybackSloJob;
import dev.marquee.jobs.slo.SloTopology;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.Availability;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.schema.Sli;
import dev.marquee.schema.SloAlert;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The playback jobs' part in the demo: 35 simulated minutes of an evening in Japan (the telemetry
 * simulator, seeded) with a slow DRM license server from minute 10 to 22, and the titles'
 * availability in Japan as the rights lifecycle job would publish it: one title's window closes at
 * minute 20, one is licensed in SD/HD only, and one extra play is of a title with no right at all.
 *
 * <p>Expected: the SLO job raises a sustained license-latency breach for Japan/TV during the
 * incident and a recovery that names it afterwards; the compliance job reports exactly the plays
 * the availability history forbids (computed here from the same simulated events with the same
 * rule), each with its reason.
 */
public final class PlaybackStage implements DemoStage {
    static final Instant START = Instant.parse("2026-11-20T11:00:00Z"); // 20:00 in Japan
    static final Duration LENGTH = Duration.ofMinutes(35);
    static final Instant INCIDENT_FROM = START.plus(Duration.ofMinutes(10));
    static final Instant INCIDENT_TO = START.plus(Duration.ofMinutes(22));
    static final String CLOSING_TITLE = "title-003";
    static final Instant CLOSES = START.plus(Duration.ofMinutes(20));
    static final String HD_ONLY_TITLE = "title-002";
    static final String UNLICENSED_TITLE = "title-404";

    private List<PlaybackEvent> traffic = List.of();

    @Override
    public String name() {
        return "playback";
    }

    @Override
    public String describe() {
        return "35 simulated minutes of players in Japan, a slow license server from minute 10 to"
                + " 22, one title's window closing at minute 20, one title licensed in HD only,"
                + " one play with no right";
    }

    static TelemetrySimulator simulator() {
        return TelemetrySimulator.builder()
                .seed(2026)
                .start(START)
                .duration(LENGTH)
                .sessionsPerMinute(40)
                .territories(List.of("JP"))
                .incident(Incident.slowLicense(INCIDENT_FROM, INCIDENT_TO, 400))
                .build();
    }

    @Override
    public void wire(StreamExecutionEnvironment env, JobSettings settings) {
        PlaybackSloJob.wire(
                env,
                settings,
                SloTopology.Settings.defaults()
                        .withIdleness(Duration.ofSeconds(10))
                        .withMinSamples(5));
        PlaybackComplianceJob.wire(
                env,
                settings,
                ComplianceTopology.Settings.defaults().withIdleness(Duration.ofSeconds(3)));
    }

    /** The availability versions of every simulated title in Japan. */
    static List<Availability> availability() {
        List<Availability> versions = new ArrayList<>();
        Instant since = START.minus(Duration.ofDays(30));
        for (String title : simulator().titles()) {
            List<String> formats =
                    title.equals(HD_ONLY_TITLE) ? List.of("SD", "HD") : List.<String>of();
            Instant until = title.equals(CLOSING_TITLE) ? CLOSES : null;
            versions.add(version(title, since, true, until, formats));
            if (until != null) {
                versions.add(version(title, until, false, null, List.of()));
            }
        }
        return versions;
    }

    private static Availability version(
            String title, Instant from, boolean available, Instant until, List<String> formats) {
        return Availability.newBuilder()
                .setContentId(title)
                .setTerritory("JP")
                .setAvailable(available)
                .setEffectiveFrom(from)
                .setUntil(until)
                .setRightId("r-demo-" + title)
                .setFormatProfiles(formats)
                .build();
    }

    static PlaybackEvent outsidePlay() {
        return PlaybackEvent.newBuilder()
                .setSessionId("demo-no-right")
                .setEventType(PlaybackEventType.START)
                .setAt(START.plus(Duration.ofMinutes(5)))
                .setContentId(UNLICENSED_TITLE)
                .setTerritory("JP")
                .setDeviceClass(DeviceClass.TV)
                .setFormatProfile("HD")
                .build();
    }

    @Override
    public void publish(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws Exception {
        traffic = simulator().stream().toList();
        try (EventTimePublisher events = new EventTimePublisher(clients)) {
            for (Availability a : availability()) {
                events.send(
                        Topic.CATALOG_AVAILABILITY,
                        a.getContentId() + "|" + a.getTerritory(),
                        a,
                        a.getEffectiveFrom());
            }
            // No pause needed before the plays: the join holds each play until the watermark of
            // both inputs passes it, whichever the job reads first.
            for (PlaybackEvent e : traffic) {
                events.send(Topic.PLAYBACK_TELEMETRY, e.getSessionId(), e, e.getAt());
            }
            PlaybackEvent outside = outsidePlay();
            events.send(Topic.PLAYBACK_TELEMETRY, outside.getSessionId(), outside, outside.getAt());
            // Players keep reporting after the range: event time moves past its last windows.
            PlaybackEvent later =
                    PlaybackEvent.newBuilder(outside)
                            .setSessionId("demo-later")
                            .setEventType(PlaybackEventType.SEGMENT)
                            .setContentId("title-001")
                            .setAt(START.plus(LENGTH).plus(Duration.ofMinutes(10)))
                            .build();
            events.send(Topic.PLAYBACK_TELEMETRY, later.getSessionId(), later, later.getAt());
            out.printf("      %s: %,d player events published%n", name(), events.sent());
        }
    }

    /** session -> reason the rule gives, for every start in the traffic that is a violation. */
    Set<String> expectedViolations() {
        var history = new java.util.HashMap<String, java.util.TreeMap<Long, Availability>>();
        for (Availability a : availability()) {
            history.computeIfAbsent(a.getContentId(), k -> new java.util.TreeMap<>())
                    .put(a.getEffectiveFrom().toEpochMilli(), a);
        }
        Set<String> expected = new TreeSet<>();
        List<PlaybackEvent> starts = new ArrayList<>(traffic);
        starts.add(outsidePlay());
        for (PlaybackEvent e : starts) {
            if (e.getEventType() != PlaybackEventType.START) {
                continue;
            }
            EntitlementRule.Decision d =
                    EntitlementRule.decide(
                            history.getOrDefault(e.getContentId(), new java.util.TreeMap<>()),
                            e.getContentId(),
                            e.getTerritory(),
                            e.getAt().toEpochMilli(),
                            e.getFormatProfile());
            if (!d.entitled()) {
                expected.add(e.getSessionId() + " " + d.reason());
            }
        }
        return expected;
    }

    @Override
    public List<String> await(TopicClients clients, Instant deadline, PrintStream out)
            throws Exception {
        Set<String> expected = expectedViolations();
        List<SloAlert> alerts = List.of();
        Set<String> violations = Set.of();
        SloAlert breach = null;
        SloAlert recovery = null;
        while (Instant.now().isBefore(deadline)) {
            alerts =
                    clients.readAll(Topic.SLO_ALERTS.topicName(), SloAlert.class).stream()
                            .filter(a -> a.getSli().equals(Sli.LICENSE_LATENCY_P95_MS.name()))
                            .toList();
            breach =
                    alerts.stream()
                            .filter(a -> a.getKind() == AlertKind.SUSTAINED_BREACH)
                            .filter(a -> "JP".equals(a.getTerritory()))
                            .filter(a -> "TV".equals(a.getDeviceClass()))
                            .findFirst()
                            .orElse(null);
            String breachId = breach == null ? null : breach.getAlertId();
            recovery =
                    alerts.stream()
                            .filter(a -> a.getKind() == AlertKind.RECOVERY)
                            .filter(a -> breachId != null && breachId.equals(a.getRecovers()))
                            .findFirst()
                            .orElse(null);
            violations =
                    clients
                            .readAll(
                                    Topic.COMPLIANCE_VIOLATIONS.topicName(),
                                    ComplianceViolation.class)
                            .stream()
                            .map(v -> v.getSessionId() + " " + v.getReason())
                            .collect(Collectors.toCollection(TreeSet::new));
            if (recovery != null && violations.containsAll(expected)) {
                break;
            }
            Thread.sleep(1000);
        }
        List<String> failures = new ArrayList<>();
        if (breach == null) {
            failures.add(
                    "slo.alerts: no sustained license-latency breach for JP/TV; license alerts: "
                            + alerts.stream().map(SloAlert::getAlertId).toList());
        } else {
            out.printf(
                    "      %s: raised %s%n        %s%n",
                    name(), breach.getAlertId(), breach.getSummary());
            if (breach.getEvidence().get(0).getWindowStart().isBefore(INCIDENT_FROM)) {
                failures.add("slo.alerts: " + breach.getAlertId() + " starts before the incident");
            }
        }
        if (recovery == null) {
            failures.add("slo.alerts: no RECOVERY naming the JP/TV license alert");
        } else {
            out.printf(
                    "      %s: recovered %s at %s%n",
                    name(), recovery.getRecovers(), recovery.getRaisedAt());
        }
        long raised =
                alerts.stream().filter(a -> a.getKind() == AlertKind.SUSTAINED_BREACH).count();
        long distinctSeries =
                alerts.stream()
                        .filter(a -> a.getKind() == AlertKind.SUSTAINED_BREACH)
                        .map(a -> a.getTerritory() + "/" + a.getDeviceClass())
                        .distinct()
                        .count();
        if (raised != distinctSeries) {
            failures.add("slo.alerts: more than one license alert per series (alert storm)");
        }
        out.printf(
                "      %s: %d compliance violations (expected %d: window closed, HD-only title"
                        + " in UHD, no right)%n",
                name(), violations.size(), expected.size());
        if (!violations.equals(expected)) {
            Set<String> missing = new TreeSet<>(expected);
            missing.removeAll(violations);
            Set<String> extra = new TreeSet<>(violations);
            extra.removeAll(expected);
            failures.add(
                    "compliance.violations: missing "
                            + missing.stream().limit(5).toList()
                            + ", unexpected "
                            + extra.stream().limit(5).toList());
        }
        if (!expected.contains("demo-no-right NO_RIGHT")) {
            failures.add("the demo's play with no right is not a violation by the rule");
        }
        return failures;
    }

    @Override
    public List<String> hints() {
        return List.of(
                "SLO alerts:            bin/marquee consume slo.alerts --from-beginning",
                "compliance violations: bin/marquee consume compliance.violations --from-beginning",
                "breaches by territory: bin/marquee sql -f jobs/sql/queries/slo-breaches-last-hour.sql");
    }
}
