package dev.marquee.cli;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.registry.SchemaRegistryClient;
import dev.marquee.topics.Topic;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Kafka clients and registry codecs for the command line, set up to fail in seconds with one clear
 * sentence when Kafka or the registry is not there, instead of retrying for a minute.
 */
public final class TopicClients {
    private final Endpoints endpoints;

    public TopicClients(Endpoints endpoints) {
        this.endpoints = endpoints;
    }

    public Endpoints endpoints() {
        return endpoints;
    }

    /** Refuses names that are not in CONTRACT.md's topic list. */
    public static Topic requireKnown(String topicName) {
        if (!Topic.isKnown(topicName)) {
            throw new UserError(
                    "unknown topic '"
                            + topicName
                            + "'; known topics: "
                            + String.join(", ", Topic.allNames()));
        }
        return Topic.byName(topicName).orElseThrow();
    }

    /** Checks that Kafka answers and has the topic, within a few seconds. */
    public void requireTopicExists(String topicName) {
        try (Admin admin =
                Admin.create(Provisioner.adminProperties(endpoints.bootstrapServers()))) {
            Set<String> names = admin.listTopics().names().get(8, TimeUnit.SECONDS);
            if (!names.contains(topicName)) {
                throw new UserError(
                        "topic '"
                                + topicName
                                + "' does not exist on Kafka at "
                                + endpoints.bootstrapServers()
                                + " (bin/marquee stack up creates every topic)");
            }
        } catch (TimeoutException | ExecutionException e) {
            throw new UserError(
                    "Kafka is unreachable at "
                            + endpoints.bootstrapServers()
                            + " (is the stack up? bin/marquee stack status)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }

    /**
     * Waits until a consumer group has committed, on every partition of a topic, at least the end
     * offset the partition had when the wait began. A Flink Kafka source commits its offsets when a
     * checkpoint completes, so this says the job has read (and checkpointed) every record that was
     * on the topic: the demo uses it to publish a later feed only once the first one is read.
     *
     * @return false when the timeout passed first
     */
    public boolean awaitCommitted(String groupId, String topicName, java.time.Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Admin admin =
                Admin.create(Provisioner.adminProperties(endpoints.bootstrapServers()))) {
            var partitions =
                    admin
                            .describeTopics(Set.of(topicName))
                            .allTopicNames()
                            .get(8, TimeUnit.SECONDS)
                            .get(topicName)
                            .partitions()
                            .stream()
                            .map(p -> new TopicPartition(topicName, p.partition()))
                            .toList();
            var request = new java.util.HashMap<TopicPartition, OffsetSpec>();
            partitions.forEach(p -> request.put(p, OffsetSpec.latest()));
            var ends =
                    admin.listOffsets(
                                    request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
                            .all()
                            .get(8, TimeUnit.SECONDS);
            while (System.nanoTime() < deadline) {
                var committed =
                        admin.listConsumerGroupOffsets(groupId)
                                .partitionsToOffsetAndMetadata()
                                .get(8, TimeUnit.SECONDS);
                boolean caughtUp =
                        partitions.stream()
                                .allMatch(
                                        p -> {
                                            OffsetAndMetadata at = committed.get(p);
                                            long end = ends.get(p).offset();
                                            return end == 0 || (at != null && at.offset() >= end);
                                        });
                if (caughtUp) {
                    return true;
                }
                Thread.sleep(200);
            }
            return false;
        } catch (TimeoutException | ExecutionException e) {
            throw new UserError(
                    "Kafka did not say what group "
                            + groupId
                            + " has read of "
                            + topicName
                            + ": "
                            + e.getMessage());
        }
    }

    /** Checks that the registry answers, within a few seconds. */
    public SchemaRegistryClient requireRegistry() {
        SchemaRegistryClient client = new SchemaRegistryClient(registryConfig());
        try {
            client.subjects();
        } catch (RegistryException e) {
            throw new UserError(
                    "the schema registry is unreachable at "
                            + endpoints.registryUrl()
                            + " (is the stack up? bin/marquee stack status)");
        }
        return client;
    }

    public RegistryConfig registryConfig() {
        return RegistryConfig.builder(endpoints.registryUrl())
                .basicAuth(System.getenv("MARQUEE_REGISTRY_BASIC_AUTH"))
                .timeout(java.time.Duration.ofSeconds(4))
                .build();
    }

    public KafkaProducer<String, byte[]> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        // An unreachable broker fails the first send within max.block (no metadata); once the
        // broker has answered, a slow one is waited for: 15 s of delivery timeout expired whole
        // batches while a loaded 2-core machine ran the broker beside a job (PlaybackSloIT).
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 8000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15000);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    public KafkaConsumer<String, byte[]> consumer(String groupId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, endpoints.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        }
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** Serializes generic records in Confluent wire format under the topic's subject. */
    public RegistryAvroSerializationSchema<GenericRecord> serializer(
            String topicName, Schema schema) {
        RegistryAvroSerializationSchema<GenericRecord> s =
                RegistryAvroSerializationSchema.forGeneric(
                        schema,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(topicName), registryConfig()));
        return s;
    }

    /** Serializes one topic's SpecificRecords in Confluent wire format under its subject. */
    public <T extends org.apache.avro.specific.SpecificRecord>
            RegistryAvroSerializationSchema<T> serializer(Topic topic, Class<T> type) {
        return RegistryAvroSerializationSchema.forSpecific(
                type, new ConfluentSchemaCoder.Provider(topic.subject(), registryConfig()));
    }

    /** Decodes any writer version into the topic's current schema. */
    public RegistryAvroDeserializationSchema<GenericRecord> deserializer(
            String topicName, Schema reader) {
        return new RegistryAvroDeserializationSchema<>(
                GenericRecord.class,
                reader,
                new ConfluentSchemaCoder.Provider(Topic.subjectOf(topicName), registryConfig()));
    }

    /**
     * Every committed record of a topic, from the beginning to the end offsets at the time of the
     * call, decoded into its generated SpecificRecord type (any writer version).
     */
    public <T extends org.apache.avro.specific.SpecificRecord> java.util.List<T> readAll(
            String topic, Class<T> type) throws java.io.IOException {
        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type,
                        null,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(topic), registryConfig()));
        java.util.List<T> out = new java.util.ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(null)) {
            java.util.List<org.apache.kafka.common.TopicPartition> partitions =
                    consumer.partitionsFor(topic, java.time.Duration.ofSeconds(8)).stream()
                            .map(
                                    p ->
                                            new org.apache.kafka.common.TopicPartition(
                                                    topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (var record : consumer.poll(java.time.Duration.ofMillis(300))) {
                    out.add(deserializer.deserialize(record.value()));
                }
            }
        }
        return out;
    }
}
