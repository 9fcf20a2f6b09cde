package dev.marquee.jobs.slo;

import dev.marquee.io.KafkaIO;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.topics.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Playback SLOs: playback.telemetry to slo.metrics and slo.alerts. Thin: it wires Kafka to {@link
 * SloTopology} and runs it. Same arguments as every Marquee job (see RightsIntakeJob).
 */
public final class PlaybackSloJob {
    private PlaybackSloJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        settings.pipelineConfiguration());
        settings.reuseObjects(env);
        wire(env, settings, SloTopology.Settings.defaults());
        env.execute(SloTopology.JOB);
    }

    /** Adds the job's sources, topology and sinks to an environment (demo, bench, tests). */
    public static SloTopology.Outputs wire(
            StreamExecutionEnvironment env,
            JobSettings settings,
            SloTopology.Settings topologySettings) {
        settings.configure(env);
        KafkaIO kafka = settings.kafka();
        OffsetsInitializer start = settings.startOffsets();
        var raw =
                env.fromSource(
                                kafka.source(
                                        Topic.PLAYBACK_TELEMETRY,
                                        settings.unique("marquee-" + SloTopology.JOB),
                                        start),
                                SloTopology.watermarks(topologySettings),
                                "playback.telemetry (slo)")
                        .uid("slo-source");

        SloTopology.Outputs out = SloTopology.build(raw, settings.registry(), topologySettings);

        out.metrics()
                .sinkTo(
                        kafka.sink(
                                Topic.SLO_METRICS.topicName(),
                                SloMetric.class,
                                SloKeys::topicKey,
                                settings.unique("marquee-slo-metrics"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("slo-metrics-sink")
                .name("slo.metrics");
        out.alerts()
                .sinkTo(
                        kafka.sink(
                                Topic.SLO_ALERTS.topicName(),
                                SloAlert.class,
                                SloAlert::getAlertId,
                                settings.unique("marquee-slo-alerts"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("slo-alerts-sink")
                .name("slo.alerts");
        out.deadLetters()
                .sinkTo(
                        kafka.sink(
                                Topic.PLAYBACK_TELEMETRY.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique("marquee-slo-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("slo-dlq-sink")
                .name("playback.telemetry.dlq (slo)");
        return out;
    }
}
