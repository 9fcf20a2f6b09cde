package dev.marquee.jobs.slo;

import dev.marquee.io.DeadLetters;
import dev.marquee.io.KafkaRecord;
import dev.marquee.io.RecordDecoder;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.SessionEvent;
import java.io.Serializable;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Per playback session (key: sessionId, as playback.telemetry is keyed): turns raw player events
 * into {@link SliSample}s. A session needs memory because the SLIs are about sessions, not single
 * events: a START whose first frame never comes is a start failure found by a timer, a session
 * fails at most once, and play time is the gap between a session's events while it is playing.
 *
 * <p>State is one small {@link SessionState} per live session, cleared on END or when the session
 * has been silent for the session timeout in event time (one timer per session, moved lazily: it is
 * not re-registered on every event, only re-armed when it fires early). The state has a TTL in
 * processing time, the safety net for sessions whose event-time timer can never fire (a stalled
 * watermark): a session nothing wrote to for {@code stateTtl} is dropped ({@code expiredSessions}
 * counts them; a non-zero count means the watermark is stuck).
 *
 * <p>The TTL is a processing-time timer of the session's own (registered once, re-armed lazily like
 * the event-time one, deleted with the session), not Flink's {@code StateTtlConfig}: that wraps the
 * value in a new {@code TtlValue} on every write, one more object per event and one more pointer to
 * follow on every read: in back-to-back bench runs the job read 0.46x of the baseline with it and
 * 0.55x with no TTL at all (docs/slo.md); the timer costs two timer-queue operations per session.
 *
 * <p>Events already behind the watermark go to {@link #LATE} (counted), never silently dropped:
 * their windows have closed.
 */
public class SessionTracker<IN> extends KeyedProcessFunction<String, IN, SliSample> {
    private static final long serialVersionUID = 1L;

    public static final OutputTag<PlaybackEvent> LATE =
            new OutputTag<>("late-playback-events", new AvroTypeInfo<>(PlaybackEvent.class));

    /**
     * Events that arrived under a key that is not their session id (a producer that does not key
     * playback.telemetry by session, as CONTRACT.md asks): tracking them here would split their
     * session's state, so they leave to be keyed by session and tracked there.
     */
    public static final OutputTag<PlaybackEvent> MISKEYED =
            new OutputTag<>("miskeyed-playback-events", new AvroTypeInfo<>(PlaybackEvent.class));

    /** How the tracker gets the events out of what it is fed. */
    public interface Input<IN> extends Serializable {
        default void open() {}

        /**
         * What the tracker reads of the event, or null after handing {@code deadLetters} the reason
         * there is none.
         */
        SessionEvent read(IN in, Consumer<DeadLetter> deadLetters) throws Exception;

        /**
         * The whole event, for the few that leave the tracker (late, or under another key): they go
         * on with every field they came with. Null after handing {@code deadLetters} why not.
         */
        PlaybackEvent whole(IN in, Consumer<DeadLetter> deadLetters) throws Exception;
    }

    /** Fed decoded events keyed by their session id (tests, and re-keyed events). */
    public static SessionTracker<PlaybackEvent> ofEvents(
            Duration startTimeout, Duration sessionTimeout, Duration stateTtl) {
        return new SessionTracker<>(startTimeout, sessionTimeout, stateTtl, new EventInput());
    }

    private static final class EventInput implements Input<PlaybackEvent> {
        private static final long serialVersionUID = 1L;

        /** Each SessionEvent field from the PlaybackEvent field of the same name. */
        @Override
        public SessionEvent read(PlaybackEvent e, Consumer<DeadLetter> deadLetters) {
            SessionEvent fields = new SessionEvent();
            for (Schema.Field f : SessionEvent.getClassSchema().getFields()) {
                fields.put(f.pos(), e.get(f.name()));
            }
            return fields;
        }

        @Override
        public PlaybackEvent whole(PlaybackEvent e, Consumer<DeadLetter> deadLetters) {
            return e;
        }
    }

    /**
     * Fed raw Kafka records keyed by their record key, decoding each here: the bytes cross the
     * shuffle once as bytes and are decoded once, instead of being decoded at the source, encoded
     * again for the shuffle and decoded a second time behind it (measured: Avro was most of the
     * job's per-event work). {@code fields} decodes only what the tracker reads ({@link
     * SessionEvent} as reader schema: Avro skips the other fields' bytes); {@code whole} decodes
     * the few records that leave the tracker with all their fields. Records that do not decode go
     * to {@link DeadLetters#tag()}.
     */
    public static SessionTracker<KafkaRecord> ofRecords(
            Duration startTimeout,
            Duration sessionTimeout,
            Duration stateTtl,
            RecordDecoder<SessionEvent> fields,
            RecordDecoder<PlaybackEvent> whole) {
        return new SessionTracker<>(
                startTimeout, sessionTimeout, stateTtl, new DecodingInput(fields, whole));
    }

    private record DecodingInput(
            RecordDecoder<SessionEvent> fields, RecordDecoder<PlaybackEvent> wholeEvents)
            implements Input<KafkaRecord> {
        @Override
        public void open() {
            fields.open();
            wholeEvents.open();
        }

        @Override
        public SessionEvent read(KafkaRecord record, Consumer<DeadLetter> deadLetters)
                throws Exception {
            return fields.decode(record, deadLetters);
        }

        @Override
        public PlaybackEvent whole(KafkaRecord record, Consumer<DeadLetter> deadLetters)
                throws Exception {
            return wholeEvents.decode(record, deadLetters);
        }
    }

    private final Input<IN> input;
    private final OutputTag<DeadLetter> deadLetters = DeadLetters.tag();

    private final long startTimeoutMs;
    private final long sessionTimeoutMs;
    private final long stateTtlMs;

    private transient ValueState<SessionState> session;

    /**
     * Territories and PoPs seen, each kept once: a few hundred strings for a whole fleet; a
     * subtask's pool is rebuilt from traffic after a restore.
     */
    private transient Map<String, String> pool;

    private transient Counter lateEvents;
    private transient Counter startTimeouts;
    private transient Counter expiredSessions;
    private transient Counter miskeyedEvents;

    private SessionTracker(
            Duration startTimeout, Duration sessionTimeout, Duration stateTtl, Input<IN> input) {
        this.input = input;
        this.startTimeoutMs = startTimeout.toMillis();
        this.sessionTimeoutMs = sessionTimeout.toMillis();
        this.stateTtlMs = stateTtl.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<SessionState> descriptor =
                new ValueStateDescriptor<>("session", TypeInformation.of(SessionState.class));
        session = getRuntimeContext().getState(descriptor);
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        startTimeouts = getRuntimeContext().getMetricGroup().counter("startTimeouts");
        expiredSessions = getRuntimeContext().getMetricGroup().counter("expiredSessions");
        miskeyedEvents = getRuntimeContext().getMetricGroup().counter("miskeyedEvents");
        input.open();
        pool = new HashMap<>();
    }

    /**
     * The one pooled copy of a low-cardinality string (territory, PoP): {@code kept}, the copy the
     * session already holds, when it is still the value (one comparison, nearly every event), else
     * the pool's.
     */
    private String pooled(String kept, String value) {
        if (kept != null && kept.equals(value)) {
            return kept;
        }
        String known = pool.putIfAbsent(value, value);
        return known == null ? value : known;
    }

    @Override
    public void processElement(IN in, Context ctx, Collector<SliSample> out) throws Exception {
        Consumer<DeadLetter> dlq = dead -> ctx.output(deadLetters, dead);
        SessionEvent event = input.read(in, dlq);
        if (event == null) {
            return;
        }
        if (!event.getSessionId().equals(ctx.getCurrentKey())) {
            miskeyedEvents.inc();
            leave(MISKEYED, in, ctx, dlq);
            return;
        }
        long at = ctx.timestamp() != null ? ctx.timestamp() : event.getAt().toEpochMilli();
        if (at <= ctx.timerService().currentWatermark()) {
            lateEvents.inc();
            leave(LATE, in, ctx, dlq);
            return;
        }
        SessionState s = session.value();
        if (s == null) {
            s = new SessionState();
        }
        // A session plays in one place: its strings are pooled once, on its first event, so the
        // samples of every session of a group share them and hash and compare by reference
        // downstream (each decoded event brings its own copy of the same two letters).
        s.territory = pooled(s.territory, event.getTerritory());
        s.deviceClass = event.getDeviceClass().name();
        SliSample device = SliSample.forDevice(s.territory, s.deviceClass);
        boolean emitDevice = false;

        // Play time since the previous event, judged on the state before this event changes it.
        if (s.firstFrame && !s.rebuffering && !s.failed && s.lastEventAt != Long.MIN_VALUE) {
            long played = at - s.lastEventAt;
            if (played > 0) {
                device.playMs = played;
                emitDevice = true;
            }
        }

        switch (event.getEventType()) {
            case START -> {
                if (s.startedAt == Long.MIN_VALUE) {
                    s.startedAt = at;
                    device.attempts = 1;
                    emitDevice = true;
                }
            }
            case FIRST_FRAME -> s.firstFrame = true;
            case START_FAILURE -> {
                if (!s.failed && !s.firstFrame) {
                    s.failed = true;
                    device.startFailures = 1;
                    emitDevice = true;
                }
            }
            case ERROR -> {
                if (!s.failed && fatal(event)) {
                    s.failed = true;
                    if (s.firstFrame) {
                        device.playbackFailures = 1;
                    } else {
                        device.startFailures = 1;
                    }
                    emitDevice = true;
                }
            }
            case REBUFFER_START -> {
                if (s.firstFrame && !s.rebuffering) {
                    s.rebuffering = true;
                    s.rebufferStartedAt = at;
                }
            }
            case REBUFFER_END -> {
                Integer reported = event.getBufferMs();
                long stalled =
                        reported != null
                                ? reported
                                : s.rebuffering ? Math.max(0, at - s.rebufferStartedAt) : 0;
                if (stalled > 0) {
                    device.rebufferMs = stalled;
                    emitDevice = true;
                }
                s.rebuffering = false;
                s.rebufferStartedAt = Long.MIN_VALUE;
            }
            case LICENSE_REQUEST -> {
                Integer latency = event.getLicenseLatencyMs();
                if (latency != null && latency >= 0) {
                    device.licenseLatencyMs = latency;
                    emitDevice = true;
                }
            }
            case SEGMENT -> {
                if (event.getCacheHit() != null && event.getPop() != null) {
                    s.pop = pooled(s.pop, event.getPop());
                    SliSample cdn = SliSample.forPop(s.territory, s.pop);
                    cdn.segments = 1;
                    cdn.cacheHits = event.getCacheHit() ? 1 : 0;
                    out.collect(cdn);
                }
            }
            default -> {}
        }
        if (emitDevice) {
            out.collect(device);
        }

        if (event.getEventType() == dev.marquee.schema.PlaybackEventType.END) {
            forget(s, ctx.timerService());
            return;
        }
        s.lastEventAt = Math.max(s.lastEventAt, at);
        if (s.timer == Long.MIN_VALUE) {
            s.timer = deadline(s);
            ctx.timerService().registerEventTimeTimer(s.timer);
        }
        s.writtenAt = ctx.timerService().currentProcessingTime();
        if (s.ttlTimer == Long.MIN_VALUE) {
            s.ttlTimer = s.writtenAt + stateTtlMs;
            ctx.timerService().registerProcessingTimeTimer(s.ttlTimer);
        }
        session.update(s);
    }

    /** Clears the session's state and deletes whichever of its timers are still set. */
    private void forget(SessionState s, TimerService timers) {
        if (s.timer != Long.MIN_VALUE) {
            timers.deleteEventTimeTimer(s.timer);
        }
        if (s.ttlTimer != Long.MIN_VALUE) {
            timers.deleteProcessingTimeTimer(s.ttlTimer);
        }
        session.clear();
    }

    /** Sends an event that is not tracked here to {@code tag}, whole (every field it came with). */
    private void leave(OutputTag<PlaybackEvent> tag, IN in, Context ctx, Consumer<DeadLetter> dlq)
            throws Exception {
        PlaybackEvent whole = input.whole(in, dlq);
        if (whole != null) {
            ctx.output(tag, whole);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SliSample> out)
            throws Exception {
        SessionState s = session.value();
        if (s == null) {
            return;
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            s.ttlTimer = Long.MIN_VALUE;
            if (timestamp >= s.writtenAt + stateTtlMs) {
                expiredSessions.inc(); // nothing wrote to it for the TTL: the watermark is stuck
                forget(s, ctx.timerService());
                return;
            }
            s.ttlTimer = s.writtenAt + stateTtlMs;
            ctx.timerService().registerProcessingTimeTimer(s.ttlTimer);
            session.update(s);
            return;
        }
        s.timer = Long.MIN_VALUE;
        if (awaitingFirstFrame(s) && timestamp >= s.startedAt + startTimeoutMs) {
            s.failed = true;
            startTimeouts.inc();
            SliSample failure = SliSample.forDevice(s.territory, s.deviceClass);
            failure.startFailures = 1;
            out.collect(failure);
        }
        if (timestamp >= s.lastEventAt + sessionTimeoutMs) {
            forget(s, ctx.timerService()); // silent for the session timeout: abandoned
            return;
        }
        s.timer = deadline(s);
        ctx.timerService().registerEventTimeTimer(s.timer);
        session.update(s);
    }

    /**
     * Players also report errors they recover from (a segment retried on another CDN): only an
     * ERROR with CMCD v2 player state {@code f} (failed), or with no state at all (a v1 player
     * cannot say), ends the session as a failure.
     */
    static boolean fatal(SessionEvent error) {
        String state = error.getPlayerState();
        return state == null || state.equals("f");
    }

    private static boolean awaitingFirstFrame(SessionState s) {
        return s.startedAt != Long.MIN_VALUE && !s.firstFrame && !s.failed;
    }

    /** The next instant something can happen without an event: start deadline or expiry. */
    private long deadline(SessionState s) {
        long expiry = s.lastEventAt + sessionTimeoutMs;
        return awaitingFirstFrame(s) ? Math.min(s.startedAt + startTimeoutMs, expiry) : expiry;
    }
}
