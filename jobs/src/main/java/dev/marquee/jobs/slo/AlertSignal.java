package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;

/**
 * What the detectors (the CEP patterns and the burn-rate evaluator) tell the {@link AlertLifecycle}
 * about one SLI series: a condition started ({@link Type#FIRE}, with a draft alert carrying the
 * evidence), ended ({@link Type#CLEAR}), or the series simply had another qualifying window ({@link
 * Type#HEARTBEAT}). Keeping detection and alert bookkeeping apart is what lets the lifecycle
 * deduplicate and pair recoveries with the alert they end. A Flink POJO (the draft is an Avro
 * record, serialized by Flink's Avro serializer).
 */
public class AlertSignal {
    /** The signal's meaning. */
    public enum Type {
        FIRE,
        CLEAR,
        HEARTBEAT
    }

    /** The SLI series: {@link SloKeys#metricKey}. */
    public String key;

    public Type type;

    /** The alert kind the signal is about (SUSTAINED_BREACH, FAST_BURN, SLOW_BURN). */
    public AlertKind kind;

    /** Event time the condition was established (end of the last window of the evidence). */
    public long at;

    /** The alert to raise (FIRE) or the recovery evidence (CLEAR); null for heartbeats. */
    public SloAlert draft;

    public AlertSignal() {}

    static AlertSignal of(String key, Type type, AlertKind kind, long at, SloAlert draft) {
        AlertSignal s = new AlertSignal();
        s.key = key;
        s.type = type;
        s.kind = kind;
        s.at = at;
        s.draft = draft;
        return s;
    }

    @Override
    public String toString() {
        return type + " " + kind + " " + key + " @" + at;
    }
}
