package dev.marquee.io;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Kafka sources and sinks the way every Marquee job uses them: FLIP-27 sources that read only
 * committed records (upstream jobs write transactionally), and Sink V2 sinks that write
 * exactly-once in Kafka transactions, with values in Confluent Avro and string keys.
 */
public final class KafkaIO {
    /**
     * Kafka transactions must finish within the broker's transaction.max.timeout.ms (15 min by
     * default). A checkpoint can take a while under load, so use most of it, not more.
     */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(14);

    private final String bootstrapServers;
    private final RegistryConfig registry;

    public KafkaIO(String bootstrapServers, RegistryConfig registry) {
        this.bootstrapServers = bootstrapServers;
        this.registry = registry;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public RegistryConfig registry() {
        return registry;
    }

    /** A source of raw records, decoded later so bad bytes become dead letters. */
    public KafkaSource<KafkaRecord> source(Topic topic, String groupId, OffsetsInitializer start) {
        return source(topic, groupId, start, null);
    }

    /**
     * The same, bounded when {@code stopAt} is given: it reads up to those offsets and ends (a
     * reconciliation replays a topic's whole history this way with {@code
     * OffsetsInitializer.latest()}).
     */
    public KafkaSource<KafkaRecord> source(
            Topic topic, String groupId, OffsetsInitializer start, OffsetsInitializer stopAt) {
        Properties props = new Properties();
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put("partition.discovery.interval.ms", "60000");
        props.put("commit.offsets.on.checkpoint", "true");
        var builder =
                KafkaSource.<KafkaRecord>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setTopics(topic.topicName())
                        .setGroupId(groupId)
                        .setStartingOffsets(start)
                        .setDeserializer(new KafkaRecordDeserializer())
                        .setProperties(props);
        if (stopAt != null) {
            builder.setBounded(stopAt);
        }
        return builder.build();
    }

    /**
     * An exactly-once sink of Avro values. {@code transactionalIdPrefix} must be unique per job and
     * sink on a cluster, or two writers fence each other.
     */
    public <T extends SpecificRecord> KafkaSink<T> sink(
            String topicName,
            Class<T> type,
            KeyFunction<T> key,
            String transactionalIdPrefix,
            DeliveryGuarantee guarantee) {
        SerializationSchema<T> value =
                RegistryAvroSerializationSchema.forSpecific(
                        type,
                        new ConfluentSchemaCoder.Provider(Topic.subjectOf(topicName), registry));
        Properties props = new Properties();
        props.put(
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG,
                Long.toString(TRANSACTION_TIMEOUT.toMillis()));
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        var builder =
                KafkaSink.<T>builder()
                        .setBootstrapServers(bootstrapServers)
                        .setKafkaProducerConfig(props)
                        .setDeliveryGuarantee(guarantee)
                        .setRecordSerializer(
                                KafkaRecordSerializationSchema.<T>builder()
                                        .setTopic(topicName)
                                        .setKeySerializationSchema(key)
                                        .setValueSerializationSchema(value)
                                        .build());
        if (guarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            builder.setTransactionalIdPrefix(transactionalIdPrefix);
        }
        return builder.build();
    }

    /** The key of a record as UTF-8 bytes; a serializable lambda. */
    @FunctionalInterface
    public interface KeyFunction<T> extends SerializationSchema<T>, Function<T, String> {
        @Override
        default byte[] serialize(T element) {
            String key = apply(element);
            return key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        }
    }
}
