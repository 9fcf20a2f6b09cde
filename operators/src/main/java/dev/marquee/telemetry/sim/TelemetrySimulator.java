package dev.marquee.telemetry.sim;

import dev.marquee.rights.TerritoryZones;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Realistic player telemetry for the demo, the benchmark and the tests of the SLO job: sessions of
 * titles per territory, device class and CDN PoP, with a diurnal curve, premiere spikes and
 * injectable {@link Incident}s. Deterministic: the same settings and seed give the same events, in
 * non-decreasing event time, on any machine.
 *
 * <p>What one session looks like (docs/telemetry.md has the numbers):
 *
 * <ol>
 *   <li>START (player state {@code s}), then a LICENSE_REQUEST with its latency (log-normal, p95
 *       about 67 ms; a slow-license incident sets its p95);
 *   <li>then either START_FAILURE (state {@code f}, with an error code; the session ends there) or
 *       FIRST_FRAME (state {@code p}) once the license and the first segments arrived;
 *   <li>while playing, every 30 s (with jitter) a SEGMENT sample with bitrate, buffer length and
 *       whether the edge cache hit (about 97 % on a warm PoP); now and then a BITRATE_SWITCH, a
 *       REBUFFER_START/REBUFFER_END pair (the end carries the stall in bufferMs), a non-fatal
 *       ERROR; rarely a fatal ERROR (state {@code f}) that ends the session;
 *   <li>END (state {@code e} watched to the end, {@code q} quit) after a log-normal watch time.
 * </ol>
 *
 * Sessions still playing at the end of the simulated range are cut there (no END). A title with a
 * {@link Builder#premiere premiere} has no sessions before it, then a ramp of extra sessions that
 * peaks about 15 minutes after the window opens and decays over a couple of hours.
 *
 * <p>Not thread-safe; each {@link #events()} call starts over from the seed.
 */
public final class TelemetrySimulator {

    /** Share of segments served from edge cache on a warm PoP. */
    public static final double WARM_HIT_RATIO = 0.97;

    /** Share of segments served from edge cache on a PoP with a cold-cache incident. */
    public static final double COLD_HIT_RATIO = 0.55;

    /** Median DRM license latency in normal operation, ms. */
    public static final double LICENSE_MEDIAN_MS = 32;

    /** Log-normal shape of license latency: p95 = median * e^(1.645 * sigma), about 67 ms. */
    public static final double LICENSE_SIGMA = 0.45;

    /** Probability that a session fails to start in normal operation. */
    public static final double START_FAILURE_RATE = 0.0004;

    /** Probability that a session of a failing device class fails to start during the incident. */
    public static final double FAILING_DEVICE_START_FAILURE_RATE = 0.35;

    /** Seconds between two SEGMENT samples of a playing session. */
    public static final int SEGMENT_REPORT_SECONDS = 30;

    static final double PREMIERE_BOOST = 2.0;
    static final double REBUFFER_PER_TICK = 0.012;
    static final double SWITCH_PER_TICK = 0.12;
    static final double ERROR_PER_TICK = 0.001;
    static final double FATAL_PER_TICK = 0.00005;

    /** Edge PoPs per territory; other territories get one PoP named "edge-" + code. */
    private static final Map<String, List<String>> POPS = new LinkedHashMap<>();

    static {
        POPS.put("US", List.of("iad1", "ord1", "lax1"));
        POPS.put("CA", List.of("yyz1"));
        POPS.put("GB", List.of("lhr1", "man1"));
        POPS.put("DE", List.of("fra1"));
        POPS.put("FR", List.of("cdg1"));
        POPS.put("ES", List.of("mad1"));
        POPS.put("IT", List.of("mxp1"));
        POPS.put("NL", List.of("ams1"));
        POPS.put("JP", List.of("nrt1", "kix1"));
        POPS.put("KR", List.of("icn1"));
        POPS.put("IN", List.of("bom1", "del1"));
        POPS.put("BR", List.of("gru1"));
        POPS.put("MX", List.of("qro1"));
        POPS.put("AU", List.of("syd1"));
    }

    static final List<String> CDNS = List.of("cdn-a", "cdn-b");

    private final long seed;
    private final Instant start;
    private final Duration duration;
    private final double sessionsPerMinute;
    private final List<String> titles;
    private final List<String> territories;
    private final Map<String, Instant> premieres;
    private final List<Incident> incidents;
    private final ZoneId[] zones;

    private TelemetrySimulator(Builder b) {
        this.seed = b.seed;
        this.start = b.start;
        this.duration = b.duration;
        this.sessionsPerMinute = b.sessionsPerMinute;
        this.titles = List.copyOf(b.titles);
        this.territories = List.copyOf(b.territories);
        this.premieres = Map.copyOf(b.premieres);
        this.incidents = List.copyOf(b.incidents);
        this.zones = new ZoneId[territories.size()];
        for (int i = 0; i < zones.length; i++) {
            ZoneId zone;
            try {
                zone = TerritoryZones.zoneOf(territories.get(i));
            } catch (IllegalArgumentException e) {
                zone = ZoneOffset.UTC;
            }
            zones[i] = zone;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The edge PoPs sessions in a territory are served from (names for {@link #coldPop}). */
    public static List<String> popsOf(String territory) {
        List<String> pops = POPS.get(territory);
        return pops != null ? pops : List.of("edge-" + territory.toLowerCase(Locale.ROOT));
    }

    /** The events, in non-decreasing event time; the same sequence on every call. */
    public Iterator<PlaybackEvent> events() {
        return new Events();
    }

    /** {@link #events()} as a sequential stream. */
    public Stream<PlaybackEvent> stream() {
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(
                        events(), Spliterator.ORDERED | Spliterator.NONNULL),
                false);
    }

    public Instant start() {
        return start;
    }

    public Instant end() {
        return start.plus(duration);
    }

    public List<String> titles() {
        return titles;
    }

    public List<String> territories() {
        return territories;
    }

    public List<Incident> incidents() {
        return incidents;
    }

    /**
     * Diurnal load of a territory at an instant: 1 on average over a day, 1.6 at 21:00 local time,
     * 0.4 at 09:00.
     */
    static double diurnal(ZoneId zone, long epochMillis) {
        var local = Instant.ofEpochMilli(epochMillis).atZone(zone);
        double hour = local.getHour() + local.getMinute() / 60.0;
        return 1 + 0.6 * Math.cos(2 * Math.PI * (hour - 21) / 24);
    }

    /** The premiere ramp, minutes after the window opened: 0 at first, about 0.7 at 15 min. */
    static double premiereRamp(double minutesSince) {
        if (minutesSince < 0) {
            return 0;
        }
        return (1 - Math.exp(-minutesSince / 4)) * Math.exp(-minutesSince / 90);
    }

    double hitRatio(String pop, long at) {
        for (Incident incident : incidents) {
            if (incident.kind() == Incident.Kind.COLD_POP
                    && incident.pop().equals(pop)
                    && incident.covers(at)) {
                return COLD_HIT_RATIO;
            }
        }
        return WARM_HIT_RATIO;
    }

    boolean coldPop(String pop, long at) {
        return hitRatio(pop, at) < WARM_HIT_RATIO;
    }

    /** The median license latency for a request made at {@code at}. */
    double licenseMedianMs(long at) {
        for (Incident incident : incidents) {
            if (incident.kind() == Incident.Kind.SLOW_LICENSE && incident.covers(at)) {
                return incident.p95Ms() / Math.exp(1.645 * LICENSE_SIGMA);
            }
        }
        return LICENSE_MEDIAN_MS;
    }

    double startFailureRate(DeviceClass device, long at) {
        for (Incident incident : incidents) {
            if (incident.kind() == Incident.Kind.FAILING_DEVICE
                    && incident.deviceClass() == device
                    && incident.covers(at)) {
                return FAILING_DEVICE_START_FAILURE_RATE;
            }
        }
        return START_FAILURE_RATE;
    }

    /** Lazily generates sessions minute by minute and merges their events by time. */
    private final class Events implements Iterator<PlaybackEvent> {
        private final SplittableRandom random = new SplittableRandom(seed);
        private final PriorityQueue<Session> active =
                new PriorityQueue<>(
                        Comparator.comparingLong(Session::nextAt)
                                .thenComparingLong(Session::sequence));
        private final long startMillis = start.toEpochMilli();
        private final long endMillis = start.plus(duration).toEpochMilli();
        private final long minutes = (duration.toMillis() + 59_999) / 60_000;
        private final double[] titleWeights = new double[titles.size()];
        private long nextMinute;
        private long sequence;

        Events() {
            for (int i = 0; i < titleWeights.length; i++) {
                titleWeights[i] = 1 / Math.pow(i + 1, 0.8); // Zipf-like popularity
            }
        }

        @Override
        public boolean hasNext() {
            fill();
            return !active.isEmpty();
        }

        @Override
        public PlaybackEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Session session = active.poll();
            PlaybackEvent event = session.poll();
            if (session.hasNext()) {
                active.add(session);
            }
            return event;
        }

        /** Generates minutes until the earliest pending event cannot be preceded by a new one. */
        private void fill() {
            while (nextMinute < minutes
                    && (active.isEmpty()
                            || active.peek().nextAt() >= startMillis + nextMinute * 60_000)) {
                generateMinute(nextMinute++);
            }
        }

        private void generateMinute(long minute) {
            long from = startMillis + minute * 60_000;
            long to = Math.min(from + 60_000, endMillis);
            double minuteShare = (to - from) / 60_000.0;
            int territoryCount = territories.size();
            for (int t = 0; t < territoryCount; t++) {
                double rate =
                        sessionsPerMinute
                                / territoryCount
                                * diurnal(zones[t], (from + to) / 2)
                                * minuteShare;
                int count = poisson(rate);
                for (int i = 0; i < count; i++) {
                    long at = from + (long) (random.nextDouble() * (to - from));
                    String title = pickTitle(at);
                    if (title != null) {
                        startSession(title, territories.get(t), at);
                    }
                }
                for (Map.Entry<String, Instant> premiere : sortedPremieres()) {
                    long opens = premiere.getValue().toEpochMilli();
                    if (opens >= to) {
                        continue;
                    }
                    long spikeFrom = Math.max(from, opens);
                    double mid = ((spikeFrom + to) / 2.0 - opens) / 60_000.0;
                    double extra =
                            sessionsPerMinute
                                    * PREMIERE_BOOST
                                    * premiereRamp(mid)
                                    / territoryCount
                                    * ((to - spikeFrom) / 60_000.0);
                    int spike = poisson(extra);
                    for (int i = 0; i < spike; i++) {
                        long at = spikeFrom + (long) (random.nextDouble() * (to - spikeFrom));
                        startSession(premiere.getKey(), territories.get(t), at);
                    }
                }
            }
        }

        private List<Map.Entry<String, Instant>> sortedPremieres() {
            List<Map.Entry<String, Instant>> list = new ArrayList<>(premieres.entrySet());
            list.sort(Map.Entry.comparingByKey());
            return list;
        }

        private void startSession(String title, String territory, long at) {
            Session session =
                    new Session(
                            TelemetrySimulator.this,
                            new SplittableRandom(random.nextLong()),
                            sequence++,
                            title,
                            territory,
                            at,
                            endMillis);
            if (session.hasNext()) {
                active.add(session);
            }
        }

        /** A title by popularity among those whose window has opened at {@code at}. */
        private String pickTitle(long at) {
            double total = 0;
            for (int i = 0; i < titleWeights.length; i++) {
                if (released(titles.get(i), at)) {
                    total += titleWeights[i];
                }
            }
            if (total == 0) {
                return null;
            }
            double x = random.nextDouble() * total;
            String last = null;
            for (int i = 0; i < titleWeights.length; i++) {
                if (released(titles.get(i), at)) {
                    last = titles.get(i);
                    x -= titleWeights[i];
                    if (x < 0) {
                        return last;
                    }
                }
            }
            return last;
        }

        private boolean released(String title, long at) {
            Instant opens = premieres.get(title);
            return opens == null || at >= opens.toEpochMilli();
        }

        private int poisson(double lambda) {
            if (lambda <= 0) {
                return 0;
            }
            if (lambda > 40) {
                double gaussian = nextGaussian(random);
                return (int) Math.max(0, Math.round(lambda + Math.sqrt(lambda) * gaussian));
            }
            double limit = Math.exp(-lambda);
            double product = random.nextDouble();
            int count = 0;
            while (product > limit) {
                product *= random.nextDouble();
                count++;
            }
            return count;
        }
    }

    /** A standard normal draw (Box-Muller), so results do not depend on JDK internals. */
    static double nextGaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble(); // (0, 1]
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Settings of a simulation; every knob has a default that makes a sensible evening. */
    public static final class Builder {
        private long seed = 1;
        private Instant start = Instant.parse("2026-11-20T18:00:00Z");
        private Duration duration = Duration.ofHours(1);
        private double sessionsPerMinute = 100;
        private List<String> titles =
                List.of(
                        "title-001",
                        "title-002",
                        "title-003",
                        "title-004",
                        "title-005",
                        "title-006",
                        "title-007",
                        "title-008",
                        "title-009",
                        "title-010");
        private List<String> territories =
                List.of("US", "GB", "DE", "FR", "JP", "BR", "IN", "KR", "MX", "AU");
        private final Map<String, Instant> premieres = new LinkedHashMap<>();
        private final List<Incident> incidents = new ArrayList<>();

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** First instant of the simulated range (default 2026-11-20T18:00:00Z). */
        public Builder start(Instant start) {
            this.start = Objects.requireNonNull(start, "start");
            return this;
        }

        /** Length of the simulated range (default 1 hour). */
        public Builder duration(Duration duration) {
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive: " + duration);
            }
            this.duration = duration;
            return this;
        }

        /** Average session starts a minute over all territories, before diurnal and spikes. */
        public Builder sessionsPerMinute(double sessionsPerMinute) {
            if (!(sessionsPerMinute >= 0)) {
                throw new IllegalArgumentException(
                        "sessionsPerMinute must be >= 0: " + sessionsPerMinute);
            }
            this.sessionsPerMinute = sessionsPerMinute;
            return this;
        }

        /** Content ids, most popular first (Zipf-like shares). */
        public Builder titles(List<String> titles) {
            if (titles.isEmpty()) {
                throw new IllegalArgumentException("at least one title is needed");
            }
            this.titles = List.copyOf(titles);
            return this;
        }

        /** ISO 3166-1 alpha-2 territories, each with the same share before its diurnal curve. */
        public Builder territories(List<String> territories) {
            if (territories.isEmpty()) {
                throw new IllegalArgumentException("at least one territory is needed");
            }
            this.territories = List.copyOf(territories);
            return this;
        }

        /**
         * The title's window opens at {@code at}: no sessions before, then a spike of extra
         * sessions. The title is added to the titles if it is not among them.
         */
        public Builder premiere(String contentId, Instant at) {
            premieres.put(Objects.requireNonNull(contentId), Objects.requireNonNull(at));
            return this;
        }

        public Builder incident(Incident incident) {
            incidents.add(Objects.requireNonNull(incident));
            return this;
        }

        public TelemetrySimulator build() {
            List<String> all = new ArrayList<>(titles);
            for (String title : premieres.keySet()) {
                if (!all.contains(title)) {
                    all.add(title);
                }
            }
            titles = all;
            return new TelemetrySimulator(this);
        }
    }
}
