package dev.marquee.telemetry.sim;

import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * One simulated playback session: its fixed attributes and a state machine that produces its events
 * a 30-second tick at a time, so that a simulation holds one small object per concurrent session
 * rather than all their events. Every event of a tick falls inside the tick, so ticks come out in
 * time order.
 */
final class Session {
    private static final DeviceClass[] DEVICES = {
        DeviceClass.TV,
        DeviceClass.MOBILE,
        DeviceClass.DESKTOP,
        DeviceClass.TABLET,
        DeviceClass.STB,
        DeviceClass.CONSOLE,
        DeviceClass.OTHER
    };
    private static final double[] DEVICE_SHARES = {0.34, 0.28, 0.14, 0.10, 0.07, 0.05, 0.02};

    private static final String[] START_ERRORS = {
        "DRM-LICENSE-DENIED", "MANIFEST-HTTP-404", "NETWORK-TIMEOUT", "MEDIA-DECODE"
    };
    private static final String[] PLAY_ERRORS = {
        "SEGMENT-HTTP-503", "SEGMENT-TIMEOUT", "AUDIO-GAP", "SUBTITLE-HTTP-404"
    };
    private static final String[] FATAL_ERRORS = {"MEDIA-DECODE", "DRM-KEY-EXPIRED"};

    private final TelemetrySimulator sim;
    private final SplittableRandom random;
    private final long sequence;
    private final long endOfRange;
    private final ArrayDeque<PlaybackEvent> pending = new ArrayDeque<>();

    private final String sessionId;
    private final String contentId;
    private final String territory;
    private final DeviceClass device;
    private final String cdn;
    private final String pop;
    private final String format;
    private final int[] ladder;

    private int rung;
    private long tickEnd;
    private long watchEnd;
    private boolean over;

    Session(
            TelemetrySimulator sim,
            SplittableRandom random,
            long sequence,
            String contentId,
            String territory,
            long startAt,
            long endOfRange) {
        this.sim = sim;
        this.random = random;
        this.sequence = sequence;
        this.endOfRange = endOfRange;
        this.sessionId =
                new UUID(
                                random.nextLong() & ~0xF000L | 0x4000L,
                                random.nextLong() & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L)
                        .toString();
        this.contentId = contentId;
        this.territory = territory;
        this.device = DEVICES[pick(DEVICE_SHARES)];
        this.cdn = random.nextDouble() < 0.65 ? "cdn-a" : "cdn-b";
        List<String> pops = TelemetrySimulator.popsOf(territory);
        this.pop = pops.get(random.nextInt(pops.size()));
        this.format = formatFor(device);
        this.ladder = ladderOf(format);
        this.rung = Math.min(1, ladder.length - 1);
        begin(startAt);
    }

    long sequence() {
        return sequence;
    }

    long nextAt() {
        return pending.peekFirst().getAt().toEpochMilli();
    }

    boolean hasNext() {
        return !pending.isEmpty();
    }

    PlaybackEvent poll() {
        PlaybackEvent event = pending.pollFirst();
        if (pending.isEmpty() && !over) {
            while (pending.isEmpty() && !over) {
                tick();
            }
        }
        return event;
    }

    /** START, the license request, then the first frame or a start failure. */
    private void begin(long startAt) {
        List<PlaybackEvent> events = new ArrayList<>();
        events.add(event(PlaybackEventType.START, startAt, "s").build());
        long licenseAt = startAt + 80 + random.nextInt(220);
        int latency =
                (int)
                        Math.max(
                                1,
                                Math.round(
                                        sim.licenseMedianMs(licenseAt)
                                                * Math.exp(
                                                        TelemetrySimulator.LICENSE_SIGMA
                                                                * TelemetrySimulator.nextGaussian(
                                                                        random))));
        events.add(
                event(PlaybackEventType.LICENSE_REQUEST, licenseAt, "s")
                        .setLicenseLatencyMs(latency)
                        .build());
        if (random.nextDouble() < sim.startFailureRate(device, startAt)) {
            boolean deviceIncident =
                    sim.startFailureRate(device, startAt) > TelemetrySimulator.START_FAILURE_RATE;
            long failedAt = licenseAt + latency + 1_000 + random.nextInt(6_000);
            events.add(
                    event(PlaybackEventType.START_FAILURE, failedAt, "f")
                            .setErrorCode(
                                    deviceIncident
                                            ? "DEVICE-DECODER-INIT"
                                            : START_ERRORS[random.nextInt(START_ERRORS.length)])
                            .build());
            over = true;
        } else {
            long startup =
                    Math.round(900 * Math.exp(0.5 * TelemetrySimulator.nextGaussian(random)));
            long firstFrame = licenseAt + latency + Math.min(startup, 15_000);
            events.add(
                    event(PlaybackEventType.FIRST_FRAME, firstFrame, "p")
                            .setBitrateKbps(ladder[rung])
                            .setBufferMs(roundTo100(4_000 + random.nextInt(4_000)))
                            .build());
            double minutes = 22 * Math.exp(0.9 * TelemetrySimulator.nextGaussian(random));
            watchEnd = firstFrame + (long) (Math.min(180, Math.max(1, minutes)) * 60_000);
            tickEnd = firstFrame;
        }
        enqueue(events);
    }

    /** The next 30 s of playing: a segment sample and what else happened in them. */
    private void tick() {
        long tickStart = tickEnd;
        tickEnd = tickStart + TelemetrySimulator.SEGMENT_REPORT_SECONDS * 1_000L;
        List<PlaybackEvent> events = new ArrayList<>();
        boolean ends = watchEnd <= tickEnd;
        long segmentAt = tickStart + 25_000 + random.nextInt(4_000);
        boolean hit = random.nextDouble() < sim.hitRatio(pop, segmentAt);
        if (!ends || segmentAt < watchEnd) {
            events.add(
                    event(PlaybackEventType.SEGMENT, segmentAt, "p")
                            .setBitrateKbps(ladder[rung])
                            .setBufferMs(roundTo100(18_000 + random.nextInt(12_000)))
                            .setCacheHit(hit)
                            .build());
        }
        double rebuffer = TelemetrySimulator.REBUFFER_PER_TICK;
        if (sim.coldPop(pop, tickStart)) {
            rebuffer *= 4;
        }
        if (!hit) {
            rebuffer *= 3;
        }
        if (random.nextDouble() < rebuffer) {
            long stallAt = tickStart + 1_000 + random.nextInt(18_000);
            long stall =
                    Math.min(
                            6_000,
                            Math.max(
                                    200,
                                    Math.round(
                                            1_500
                                                    * Math.exp(
                                                            0.8
                                                                    * TelemetrySimulator
                                                                            .nextGaussian(
                                                                                    random)))));
            if (!ends || stallAt + stall < watchEnd) {
                events.add(
                        event(PlaybackEventType.REBUFFER_START, stallAt, "r")
                                .setBufferMs(0)
                                .build());
                events.add(
                        event(PlaybackEventType.REBUFFER_END, stallAt + stall, "p")
                                .setBufferMs((int) stall)
                                .build());
                if (rung > 0 && (!ends || stallAt + stall + 500 < watchEnd)) {
                    rung--;
                    events.add(
                            event(PlaybackEventType.BITRATE_SWITCH, stallAt + stall + 500, "p")
                                    .setBitrateKbps(ladder[rung])
                                    .build());
                }
            }
        } else if (random.nextDouble() < TelemetrySimulator.SWITCH_PER_TICK) {
            int next = rung + (random.nextDouble() < 0.6 ? 1 : -1);
            if (next >= 0 && next < ladder.length) {
                rung = next;
                long at = tickStart + 1_000 + random.nextInt(20_000);
                if (!ends || at < watchEnd) {
                    events.add(
                            event(PlaybackEventType.BITRATE_SWITCH, at, "p")
                                    .setBitrateKbps(ladder[rung])
                                    .build());
                }
            }
        }
        if (random.nextDouble() < TelemetrySimulator.ERROR_PER_TICK) {
            long at = tickStart + 500 + random.nextInt(20_000);
            if (!ends || at < watchEnd) {
                events.add(
                        event(PlaybackEventType.ERROR, at, "p")
                                .setErrorCode(PLAY_ERRORS[random.nextInt(PLAY_ERRORS.length)])
                                .build());
            }
        }
        if (random.nextDouble() < TelemetrySimulator.FATAL_PER_TICK) {
            long at = tickStart + 29_500;
            events.removeIf(e -> e.getAt().toEpochMilli() >= at);
            events.add(
                    event(PlaybackEventType.ERROR, at, "f")
                            .setErrorCode(FATAL_ERRORS[random.nextInt(FATAL_ERRORS.length)])
                            .build());
            over = true;
        } else if (ends) {
            boolean completed = random.nextDouble() < 0.4;
            events.add(event(PlaybackEventType.END, watchEnd, completed ? "e" : "q").build());
            over = true;
        }
        enqueue(events);
    }

    private void enqueue(List<PlaybackEvent> events) {
        events.sort(Comparator.comparing(PlaybackEvent::getAt));
        for (PlaybackEvent event : events) {
            if (event.getAt().toEpochMilli() >= endOfRange) {
                over = true; // the range ends while the session plays: cut here
                return;
            }
            pending.addLast(event);
        }
    }

    private PlaybackEvent.Builder event(PlaybackEventType type, long at, String state) {
        return PlaybackEvent.newBuilder()
                .setSessionId(sessionId)
                .setEventType(type)
                .setAt(Instant.ofEpochMilli(at))
                .setContentId(contentId)
                .setTerritory(territory)
                .setDeviceClass(device)
                .setCdn(cdn)
                .setPop(pop)
                .setFormatProfile(format)
                .setPlayerState(state)
                .setRepairs(List.of());
    }

    private int pick(double[] shares) {
        double x = random.nextDouble();
        for (int i = 0; i < shares.length; i++) {
            x -= shares[i];
            if (x < 0) {
                return i;
            }
        }
        return shares.length - 1;
    }

    private String formatFor(DeviceClass device) {
        double x = random.nextDouble();
        return switch (device) {
            case TV, STB, CONSOLE -> x < 0.40 ? "UHD" : x < 0.55 ? "HDR" : x < 0.95 ? "HD" : "SD";
            case DESKTOP -> x < 0.10 ? "UHD" : x < 0.90 ? "HD" : "SD";
            case TABLET -> x < 0.85 ? "HD" : "SD";
            case MOBILE -> x < 0.70 ? "HD" : "SD";
            default -> x < 0.50 ? "HD" : "SD";
        };
    }

    private static int[] ladderOf(String format) {
        return switch (format) {
            case "UHD" -> new int[] {6_000, 8_000, 12_000, 16_000};
            case "HDR" -> new int[] {8_000, 10_000, 15_000, 20_000};
            case "HD" -> new int[] {1_800, 3_000, 4_500, 6_000};
            default -> new int[] {400, 800, 1_200};
        };
    }

    private static int roundTo100(int ms) {
        return ms / 100 * 100;
    }
}
