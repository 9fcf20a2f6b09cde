package dev.marquee.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.compliance.EntitlementRule;
import dev.marquee.playback.EventTimePublisher;
import dev.marquee.schema.Availability;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.topics.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;

/**
 * The playback telemetry both playback bench entries read, loaded once per bench run: simulated
 * player traffic (ten territories, an evening, a slow license server in the middle) and the
 * availability of its titles (one title's windows close half way, one is licensed in SD/HD only),
 * so the compliance job has violations to find. Also the helpers both entries share: a paced live
 * phase and the state size of the latest checkpoint through the MiniCluster's REST API.
 */
final class PlaybackBenchData {
    static final Instant START = Instant.parse("2026-11-20T11:00:00Z");
    static final String CLOSING_TITLE = "title-003";
    static final String HD_ONLY_TITLE = "title-002";

    private static final Map<BenchContext, PlaybackBenchData> LOADED = new IdentityHashMap<>();
    private static final ObjectMapper JSON = new ObjectMapper();

    final int events;
    final long starts;
    final Instant dataEnd;
    final Instant closesAt;
    final long expectedViolations;
    final List<Availability> availability;
    private final Map<String, TreeMap<Long, Availability>> history = new HashMap<>();

    private PlaybackBenchData(
            int events,
            long starts,
            Instant dataEnd,
            Instant closesAt,
            long expectedViolations,
            List<Availability> availability) {
        this.events = events;
        this.starts = starts;
        this.dataEnd = dataEnd;
        this.closesAt = closesAt;
        this.expectedViolations = expectedViolations;
        this.availability = availability;
    }

    /** Loads the bulk data on the first call of a bench run; later calls reuse it. */
    static synchronized PlaybackBenchData of(BenchContext context) throws Exception {
        PlaybackBenchData data = LOADED.get(context);
        if (data == null) {
            data = load(context);
            LOADED.put(context, data);
        }
        return data;
    }

    /**
     * The raw baseline over the loaded telemetry ({@link BenchContext#baseline}: one consumer, the
     * jobs' decoder, best of two reads), in a JVM of its own as the job is ({@link MeasuredJvm}).
     */
    static double baseline(BenchContext context, PlaybackBenchData data) throws Exception {
        context.log()
                .println(
                        "baseline: raw Kafka read + Avro decode (one consumer, in a JVM of its"
                                + " own)...");
        double rate = MeasuredJvm.rate(context, "baseline", data.events);
        context.log().printf("  %,.0f events/s%n", rate);
        return rate;
    }

    /**
     * The baseline read again after the job's warm-up and measured run, the better of it and the
     * first: the job's figure is compared with the baseline's best, never with a slowed one (the
     * first read's machine was still busy with the load).
     */
    static double settledBaseline(BenchContext context, PlaybackBenchData data, double first)
            throws Exception {
        double again = MeasuredJvm.rate(context, "baseline", data.events);
        double best = Math.max(first, again);
        context.log()
                .printf(
                        "  baseline again, after the job's warm-up and run: %,.0f events/s; the ratios use %,.0f%n",
                        again, best);
        return best;
    }

    /**
     * What a playback bench read off its job's telemetry source: the steady rate over the second
     * half of the backlog (the headline: the job has been running for half of it, past its own
     * start), the seconds and the JIT compiler's share of a core over that half, and the rate over
     * the whole backlog beside it.
     */
    record Measured(double steady, double seconds, double jit, double whole) {
        /**
         * Reads {@code progress}, whose counter reaches {@code total} at the end of the backlog and
         * stands for {@code eventsPerCount} events a count.
         */
        static Measured of(JobProgress progress, long total, double eventsPerCount) {
            return new Measured(
                    progress.steadyRate(total / 2, total) * eventsPerCount,
                    progress.steadySeconds(total / 2, total),
                    progress.jitShare(total / 2, total),
                    progress.steadyRate(total) * eventsPerCount);
        }

        /** The two rate lines every playback bench prints. */
        void print(
                BenchContext context, double baseline, double goal, double withStart, String last) {
            context.log()
                    .printf(
                            "  %,.0f events/s while processing the backlog's second half (%.2fx"
                                    + " baseline; goal: at least %.1fx), read over %.1f s%s, the JIT"
                                    + " compiler busy %.0f%% of a core meanwhile%n",
                            steady,
                            steady / baseline,
                            goal,
                            seconds,
                            seconds < 2 ? " (a coarse figure)" : "",
                            100 * jit);
            context.log()
                    .printf(
                            "  %,.0f events/s over the whole backlog (%.2fx); %,.0f events/s (%.2fx)"
                                    + " counting job start and the exactly-once commit of the last"
                                    + " %s%n",
                            whole, whole / baseline, withStart, withStart / baseline, last);
        }

        /** The figures into a bench's JSON entry. */
        void put(ObjectNode entry, double baseline) {
            entry.put("jobEventsPerSecond", Math.round(steady));
            entry.put("ratio", Math.round(steady / baseline * 100) / 100.0);
            entry.put("measuredSeconds", Math.round(seconds * 10) / 10.0);
            entry.put("jitCoreShareMeasured", Math.round(jit * 100) / 100.0);
            entry.put("jobEventsPerSecondWholeBacklog", Math.round(whole));
            entry.put("ratioWholeBacklog", Math.round(whole / baseline * 100) / 100.0);
        }
    }

    /** The vertex both playback jobs read playback.telemetry in (its name starts so). */
    static final String TELEMETRY_SOURCE = "Source: playback.telemetry";

    /**
     * The Flink read + decode ceiling over the loaded telemetry ({@link FlinkReadCeiling}), best of
     * two runs as the baseline is, in a JVM of its own as the job is, printed beside the baseline;
     * {@code keyed}: with the raw records shuffled by session before the decoder, as playback-slo
     * must.
     */
    static double flinkCeiling(BenchContext context, PlaybackBenchData data, boolean keyed)
            throws Exception {
        context.log()
                .println(
                        keyed
                                ? "Flink read + shuffle by session + decode ceiling: the same with"
                                        + " the one keyed exchange a per-session job needs..."
                                : "Flink read + decode ceiling: the jobs' source and decoder,"
                                        + " nothing else (parallelism 2, a JVM of its own)...");
        double ceiling =
                MeasuredJvm.rate(context, keyed ? "ceiling-keyed" : "ceiling", data.events);
        context.log().printf("  %,.0f events/s%n", ceiling);
        return ceiling;
    }

    static TelemetrySimulator.Builder simulation(Instant start, Duration length, double perMinute) {
        return TelemetrySimulator.builder()
                .seed(42)
                .start(start)
                .duration(length)
                .sessionsPerMinute(perMinute)
                .incident(
                        Incident.slowLicense(
                                start.plus(length.dividedBy(3)),
                                start.plus(length.dividedBy(3).multipliedBy(2)),
                                400));
    }

    private static PlaybackBenchData load(BenchContext context) throws Exception {
        // Six million events: the rate is read over the second half of the backlog, and even at
        // the compliance job's rate that half is a few seconds of processing. (With two million
        // the SLO job's half took 2-3 s, its rate moving by a tenth from run to run.)
        int count = context.scaled(6_000_000);
        Duration length = Duration.ofHours(3);
        Instant closesAt = START.plus(Duration.ofMinutes(90));
        TelemetrySimulator sim = simulation(START, length, 1500).build();
        List<Availability> availability = new ArrayList<>();
        for (String territory : sim.territories()) {
            for (String title : sim.titles()) {
                List<String> formats =
                        title.equals(HD_ONLY_TITLE) ? List.of("SD", "HD") : List.<String>of();
                boolean closes = title.equals(CLOSING_TITLE);
                availability.add(
                        version(
                                title,
                                territory,
                                START.minus(Duration.ofDays(30)),
                                true,
                                closes ? closesAt : null,
                                formats));
                if (closes) {
                    availability.add(version(title, territory, closesAt, false, null, List.of()));
                }
            }
        }
        context.log()
                .printf("loading %,d simulated player events into playback.telemetry...%n", count);
        PlaybackBenchData partial =
                new PlaybackBenchData(count, 0, START, closesAt, 0, availability);
        availability.forEach(partial::remember);
        long starts = 0;
        long violations = 0;
        Instant last = START;
        try (EventTimePublisher publisher = new EventTimePublisher(context.clients())) {
            for (Availability a : availability) {
                publisher.send(
                        Topic.CATALOG_AVAILABILITY,
                        a.getContentId() + "|" + a.getTerritory(),
                        a,
                        a.getEffectiveFrom());
            }
            Iterator<PlaybackEvent> it = sim.events();
            long loadStart = System.nanoTime();
            int published = 0;
            for (int i = 0; i < count && it.hasNext(); i++) {
                PlaybackEvent e = it.next();
                if (e.getEventType() == PlaybackEventType.START) {
                    starts++;
                    if (!partial.entitled(e)) {
                        violations++;
                    }
                }
                last = e.getAt();
                publisher.send(Topic.PLAYBACK_TELEMETRY, e.getSessionId(), e, e.getAt());
                published++;
            }
            publisher.flush();
            count = published;
            context.log()
                    .printf(
                            "  %,d events loaded in %.1f s%n",
                            published, (System.nanoTime() - loadStart) / 1e9);
            Thread.sleep(2000);
            // An hour later players report on every partition (64 sessions cover the 12), and a
            // dummy title changes availability on every partition of catalog.availability: event
            // time moves past the loaded range everywhere without relying on idleness (which,
            // short, would also mark partitions idle that are merely behind in a backlog).
            Instant later = last.plus(Duration.ofHours(1));
            for (int i = 0; i < 64; i++) {
                publisher.send(
                        Topic.PLAYBACK_TELEMETRY,
                        "bench-closer-" + i,
                        PlaybackEvent.newBuilder()
                                .setSessionId("bench-closer-" + i)
                                .setEventType(PlaybackEventType.SEGMENT)
                                .setAt(later)
                                .setContentId("title-001")
                                .setTerritory("US")
                                .setDeviceClass(dev.marquee.schema.DeviceClass.TV)
                                .build(),
                        later);
                Availability closer =
                        version("bench-closer-" + i, "US", later, false, null, List.of());
                publisher.send(
                        Topic.CATALOG_AVAILABILITY, closer.getContentId() + "|US", closer, later);
            }
        }
        PlaybackBenchData data =
                new PlaybackBenchData(count, starts, last, closesAt, violations, availability);
        availability.forEach(data::remember);
        return data;
    }

    private static Availability version(
            String title,
            String territory,
            Instant from,
            boolean available,
            Instant until,
            List<String> formats) {
        return Availability.newBuilder()
                .setContentId(title)
                .setTerritory(territory)
                .setAvailable(available)
                .setEffectiveFrom(from)
                .setUntil(until)
                .setRightId("r-bench-" + title)
                .setFormatProfiles(formats)
                .build();
    }

    private void remember(Availability a) {
        history.computeIfAbsent(a.getContentId() + "|" + a.getTerritory(), k -> new TreeMap<>())
                .put(a.getEffectiveFrom().toEpochMilli(), a);
    }

    /** The compliance rule over the loaded availability, to know how many violations to expect. */
    boolean entitled(PlaybackEvent start) {
        return EntitlementRule.decide(
                        history.getOrDefault(
                                start.getContentId() + "|" + start.getTerritory(), new TreeMap<>()),
                        start.getContentId(),
                        start.getTerritory(),
                        start.getAt().toEpochMilli(),
                        start.getFormatProfile())
                .entitled();
    }

    /**
     * The cluster configuration of a playback bench job: checkpoints in files under the bench's
     * folder, as deployed. With the default JobManager checkpoint storage every checkpoint's state
     * is held in the bench's own heap, one more thing a 10-minute run fills it with.
     */
    static Configuration measuredJobConfig(BenchContext context, String job) {
        // The rate is read off the job's counters in this JVM (JobProgress), not through REST.
        Configuration conf = InJvmCounters.enable(new Configuration());
        conf.set(
                CheckpointingOptions.CHECKPOINTS_DIRECTORY,
                context.dir().resolve("checkpoints-" + job).toUri().toString());
        return conf;
    }

    /**
     * The simulated time a live phase of {@code wall} clock time covers at {@link
     * PlaybackSloBench#LIVE_SPEED}.
     */
    static Duration simulatedLength(Duration wall) {
        return Duration.ofMillis(Math.round(wall.toMillis() * PlaybackSloBench.LIVE_SPEED));
    }

    /** How often {@link StateTrend} samples a live phase: about 20 samples, at most one per 5 s. */
    static Duration trendPeriod(Duration simulatedLength) {
        long wallSeconds = (long) (simulatedLength.toSeconds() / PlaybackSloBench.LIVE_SPEED);
        return Duration.ofSeconds(Math.max(5, wallSeconds / 20));
    }

    /**
     * Full state size (bytes) of the job's latest completed checkpoint, waiting for one that
     * completed after {@code after}; -1 if none came within 30 s.
     */
    static long stateBytes(int port, String jobId, long after) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + port
                                                            + "/jobs/"
                                                            + jobId
                                                            + "/checkpoints"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode completed = JSON.readTree(r.body()).path("latest").path("completed");
            if (completed.isObject() && completed.path("latest_ack_timestamp").asLong() > after) {
                return completed
                        .path("state_size")
                        .asLong(completed.path("checkpointed_size").asLong(-1));
            }
            Thread.sleep(500);
        }
        return -1;
    }

    /**
     * The event-time resolution of {@link #live}'s arrival record. One entry per millisecond held
     * tens of millions of entries over a 10-minute run at 60x and ran the bench out of heap (exit
     * 239); at 100 ms of event time, a 60x feed's arrivals are still known to under 2 ms of wall
     * time.
     */
    static final long ARRIVAL_BUCKET_MS = 100;

    /**
     * Publishes simulated traffic paced so that event time runs {@code speed} times faster than the
     * wall clock (a live feed, not a backlog); returns when event time was published (wall nanos of
     * the first event in each {@link #ARRIVAL_BUCKET_MS} of event time), for {@link #arrival}.
     */
    static TreeMap<Long, Long> live(
            TopicClients clients,
            TelemetrySimulator sim,
            double speed,
            java.util.function.Consumer<PlaybackEvent> onPublished)
            throws Exception {
        TreeMap<Long, Long> publishedAt = new TreeMap<>();
        long wallStart = System.nanoTime();
        long eventStart = sim.start().toEpochMilli();
        try (EventTimePublisher publisher = new EventTimePublisher(clients)) {
            for (Iterator<PlaybackEvent> it = sim.events(); it.hasNext(); ) {
                PlaybackEvent e = it.next();
                long due =
                        wallStart + (long) ((e.getAt().toEpochMilli() - eventStart) / speed * 1e6);
                long wait = due - System.nanoTime();
                if (wait > 2_000_000) {
                    publisher.flush();
                    Thread.sleep(wait / 1_000_000);
                }
                publisher.send(Topic.PLAYBACK_TELEMETRY, e.getSessionId(), e, e.getAt());
                publishedAt.putIfAbsent(
                        Math.floorDiv(e.getAt().toEpochMilli(), ARRIVAL_BUCKET_MS),
                        System.nanoTime());
                onPublished.accept(e);
            }
        }
        return publishedAt;
    }

    /**
     * When the first event at or after {@code eventTimeMs} was published (wall nanos), from what
     * {@link #live} returned, to within one bucket; null if no such event was published.
     */
    static Long arrival(TreeMap<Long, Long> publishedAt, long eventTimeMs) {
        Map.Entry<Long, Long> entry =
                publishedAt.ceilingEntry(Math.floorDiv(eventTimeMs, ARRIVAL_BUCKET_MS));
        return entry == null ? null : entry.getValue();
    }

    /** p-th percentile (0..100) of a list of values, nearest rank; NaN when empty. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
