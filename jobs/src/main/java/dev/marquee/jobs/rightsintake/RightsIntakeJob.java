package dev.marquee.jobs.rightsintake;

import dev.marquee.io.KafkaIO;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.TerritoryRightsCount;
import dev.marquee.topics.Topic;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Validates rights.events into the DLQ or not and counts valid rights per territory. Thin: it wires
 * Kafka to {@link RightsIntakeTopology} and runs it.
 *
 * <pre>
 * args: --bootstrap-servers 127.0.0.1:9092 --registry-url http://127.0.0.1:8085/apis/ccompat/v7
 *       [--registry-basic-auth user:pass] [--registry-truststore path --registry-truststore-password p]
 *       [--checkpoint-interval-ms 10000] [--start earliest|committed] [--instance suffix]
 * </pre>
 */
public final class RightsIntakeJob {
    private RightsIntakeJob() {}

    public static void main(String[] args) throws Exception {
        JobSettings settings = JobSettings.fromArgs(args);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(
                        settings.pipelineConfiguration());
        wire(env, settings, RightsIntakeTopology.Settings.defaults());
        env.execute(RightsIntakeTopology.JOB);
    }

    /**
     * The consumer group the job's source commits its offsets under (on each checkpoint): what
     * {@code kafka-consumer-groups} shows for the job, and how the demo sees it has read a feed.
     */
    public static String groupId(JobSettings settings) {
        return settings.unique("marquee-" + RightsIntakeTopology.JOB);
    }

    /**
     * Adds the job's sources, topology and sinks to an environment (the demo and tests use this).
     */
    public static void wire(
            StreamExecutionEnvironment env,
            JobSettings settings,
            RightsIntakeTopology.Settings topologySettings) {
        settings.configure(env);
        KafkaIO kafka = settings.kafka();
        OffsetsInitializer start = settings.startOffsets();
        var raw =
                env.fromSource(
                                kafka.source(Topic.RIGHTS_EVENTS, groupId(settings), start),
                                RightsIntakeTopology.watermarks(topologySettings),
                                "rights.events")
                        .uid("rights-intake-source");

        RightsIntakeTopology.Outputs out =
                RightsIntakeTopology.build(raw, settings.registry(), topologySettings);

        out.counts()
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_INTAKE_COUNTS.topicName(),
                                TerritoryRightsCount.class,
                                c -> c.getTerritory() + "|" + c.getWindowStart(),
                                settings.unique("marquee-rights-intake-counts"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("rights-intake-counts-sink")
                .name("rights.intake.counts");
        out.deadLetters()
                .sinkTo(
                        kafka.sink(
                                Topic.RIGHTS_EVENTS.dlqName(),
                                DeadLetter.class,
                                DeadLetter::getKey,
                                settings.unique("marquee-rights-intake-dlq"),
                                DeliveryGuarantee.EXACTLY_ONCE))
                .uid("rights-intake-dlq-sink")
                .name("rights.events.dlq");
    }
}
