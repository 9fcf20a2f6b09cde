package dev.marquee.jobs.compliance;

import dev.marquee.io.KafkaIO;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeadLetter;
import dev.marquee.topics.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * Playback compliance: every playback start on playback.telemetry checked against
 * catalog.availability at its own instant; violations to compliance.violations. Thin: it wires
 * Kafka to {@link ComplianceTopology}. Same arguments as every Marquee job.
 */
public final class PlaybackComplianceJob {
    private PlaybackComplianceJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        settings.pipelineConfiguration());
        settings.reuseObjects(env);
        wire(env, settings, ComplianceTopology.Settings.defaults());
        env.execute(ComplianceTopology.JOB);
    }

    /** Adds the job's sources, topology and sinks to an environment (demo, bench, tests). */
    public static ComplianceTopology.Outputs wire(
            StreamExecutionEnvironment env,
            JobSettings settings,
            ComplianceTopology.Settings topologySettings) {
        settings.configure(env);
        KafkaIO kafka = settings.kafka();
        OffsetsInitializer start = settings.startOffsets();
        var telemetry =
                env.fromSource(
                                kafka.source(
                                        Topic.PLAYBACK_TELEMETRY,
                                        settings.unique("marquee-" + ComplianceTopology.JOB),
                                        start),
                                ComplianceTopology.watermarks(topologySettings),
                                "playback.telemetry (compliance)")
                        .uid("compliance-telemetry-source");
        // The availability history is needed from its beginning whatever --start says: a
        // compacted topic holds the current state of every title.
        var availability =
                env.fromSource(
                                kafka.source(
                                        Topic.CATALOG_AVAILABILITY,
                                        settings.unique(
                                                "marquee-" + ComplianceTopology.JOB + "-avail"),
                                        OffsetsInitializer.committedOffsets(
                                                OffsetResetStrategy.EARLIEST)),
                                ComplianceTopology.watermarks(topologySettings),
                                "catalog.availability (compliance)")
                        .uid("compliance-availability-source");

        ComplianceTopology.Outputs out =
                ComplianceTopology.build(
                        telemetry, availability, settings.registry(), topologySettings);
        out.violations()
                .sinkTo(
                        kafka.sink(
                                Topic.COMPLIANCE_VIOLATIONS.topicName(),
                                ComplianceViolation.class,
                                ComplianceViolation::getSessionId,
                                settings.unique("marquee-compliance-violations"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("compliance-violations-sink")
                .name("compliance.violations");
        out.deadLetters()
                .sinkTo(
                        kafka.sink(
                                Topic.PLAYBACK_TELEMETRY.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique("marquee-compliance-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("compliance-dlq-sink")
                .name("playback.telemetry.dlq (compliance)");
        return out;
    }
}
