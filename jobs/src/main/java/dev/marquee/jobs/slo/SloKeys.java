package dev.marquee.jobs.slo;

import dev.marquee.schema.AlertEvidence;
import dev.marquee.schema.AlertKind;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import java.time.Instant;
import java.util.List;

/** Names of SLI series and the alerts about them. */
public final class SloKeys {
    private SloKeys() {}

    /** One SLI series: {@code territory|device|SLI}, plus {@code |pop} for per-PoP CDN series. */
    public static String metricKey(SloMetric m) {
        String key = m.getTerritory() + "|" + m.getDeviceClass() + "|" + m.getSli();
        return m.getPop() == null ? key : key + "|" + m.getPop();
    }

    /** The Kafka key of slo.metrics, as CONTRACT.md has it: territory + device + SLI. */
    public static String topicKey(SloMetric m) {
        return m.getTerritory() + "|" + m.getDeviceClass() + "|" + m.getSli();
    }

    /** Human name of a series: "LICENSE_LATENCY_P95_MS in JP/TV" or "... in JP at PoP nrt-1". */
    public static String describe(SloMetric m) {
        return m.getSli()
                + " in "
                + m.getTerritory()
                + (m.getPop() == null ? "/" + m.getDeviceClass() : " at PoP " + m.getPop());
    }

    public static AlertEvidence evidence(SloMetric m) {
        return AlertEvidence.newBuilder()
                .setWindowStart(m.getWindowStart())
                .setWindowEnd(m.getWindowEnd())
                .setValue(m.getValue())
                .setTarget(m.getTarget())
                .build();
    }

    /** An alert about a series, without its id (the lifecycle assigns ids). */
    static SloAlert draft(
            AlertKind kind,
            SloMetric about,
            Instant raisedAt,
            List<AlertEvidence> evidence,
            String summary) {
        return SloAlert.newBuilder()
                .setAlertId("")
                .setKind(kind)
                .setSli(about.getSli().name())
                .setTerritory(about.getTerritory())
                .setDeviceClass(about.getDeviceClass())
                .setPop(about.getPop())
                .setRaisedAt(raisedAt)
                .setEvidence(evidence)
                .setSummary(summary)
                .build();
    }
}
