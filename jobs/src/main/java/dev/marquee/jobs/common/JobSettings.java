package dev.marquee.jobs.common;

import dev.marquee.io.KafkaIO;
import dev.marquee.registry.RegistryConfig;
import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.core.execution.CheckpointingMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * What every job needs to know about its surroundings, from its command line (the same flags on a
 * laptop, in the demo and in a FlinkDeployment's args).
 */
public record JobSettings(
        String bootstrapServers,
        String registryUrl,
        String registryBasicAuth,
        String registryTrustStore,
        String registryTrustStorePassword,
        Duration checkpointInterval,
        boolean fromEarliest,
        String instanceSuffix)
        implements Serializable {

    public static JobSettings fromArgs(String[] args) {
        ParameterTool params = ParameterTool.fromArgs(args);
        return new JobSettings(
                params.get("bootstrap-servers", "127.0.0.1:9092"),
                params.get("registry-url", "http://127.0.0.1:8085/apis/ccompat/v7"),
                params.get("registry-basic-auth", System.getenv("MARQUEE_REGISTRY_BASIC_AUTH")),
                params.get("registry-truststore", null),
                params.get("registry-truststore-password", null),
                Duration.ofMillis(params.getLong("checkpoint-interval-ms", 10_000)),
                !"committed".equals(params.get("start", "earliest")),
                params.get("instance", ""));
    }

    /** A loopback stack without auth or TLS, reading from the earliest offset (demo). */
    public static JobSettings local(String bootstrapServers, String registryUrl) {
        return local(bootstrapServers, registryUrl, Duration.ofSeconds(2), "");
    }

    /**
     * The same with its own checkpoint interval and instance suffix, so a test or a bench run next
     * to another copy of the job gets its own consumer group and transactional ids.
     */
    public static JobSettings local(
            String bootstrapServers,
            String registryUrl,
            Duration checkpointInterval,
            String instance) {
        return new JobSettings(
                bootstrapServers,
                registryUrl,
                null,
                null,
                null,
                checkpointInterval,
                true,
                instance);
    }

    /**
     * Where a job's sources start when it has no checkpointed offsets: its committed group offsets,
     * else the earliest ({@code --start earliest}, the default) or the latest offset.
     */
    public OffsetsInitializer startOffsets() {
        return OffsetsInitializer.committedOffsets(
                fromEarliest ? OffsetResetStrategy.EARLIEST : OffsetResetStrategy.LATEST);
    }

    public RegistryConfig registry() {
        return RegistryConfig.builder(registryUrl)
                .basicAuth(registryBasicAuth)
                .trustStore(registryTrustStore, registryTrustStorePassword)
                .build();
    }

    public KafkaIO kafka() {
        return new KafkaIO(bootstrapServers, registry());
    }

    /**
     * Names that must be unique per deployment (consumer group, transactional id prefix): two
     * copies of a job on one cluster (the demo next to a test) must not fence each other.
     */
    public String unique(String name) {
        return instanceSuffix.isEmpty() ? name : name + "-" + instanceSuffix;
    }

    /**
     * The pipeline settings every Marquee job runs with: operator uids are explicit (state must
     * survive topology changes), Kryo is off (every type is Avro or a POJO), checkpoints are
     * exactly-once because the Kafka sinks commit their transactions on them.
     */
    public Configuration pipelineConfiguration() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, checkpointInterval);
        conf.set(
                CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE,
                CheckpointingMode.EXACTLY_ONCE);
        return conf;
    }

    /**
     * Turns on object reuse (pipeline.object-reuse) for a job whose every operator builds new
     * objects for what it emits and keeps none of its inputs after it returns: Flink's defensive
     * deep copy between chained operators then only costs. On the playback jobs it was a copy of
     * every Kafka record's bytes, and of every per-session sample, per event. A job opts in (its
     * main, its bench and its end-to-end test) after its operators were checked; the others keep
     * Flink's default, and so does the demo, whose one job graph holds every job.
     */
    public void reuseObjects(StreamExecutionEnvironment env) {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        env.configure(conf);
    }

    /** Applies {@link #pipelineConfiguration()} to an environment someone else created. */
    public void configure(StreamExecutionEnvironment env) {
        env.configure(pipelineConfiguration());
    }
}
