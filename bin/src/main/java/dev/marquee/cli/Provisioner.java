package dev.marquee.cli;

import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.RegistryException;
import dev.marquee.registry.SchemaRegistryClient;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates every topic of the catalog (with its partitions and cleanup policy) and registers every
 * value schema under {@code <topic>-value} with BACKWARD compatibility. Idempotent: run by stack
 * up, the demo and the tests, and safe to run again on a stack that has it all.
 */
public final class Provisioner {
    /**
     * Local topics are bounded by size, never by time. Kafka's time-based retention judges a record
     * by its timestamp, and on this stack timestamps are event times: the samples' rights were
     * issued on fixed dates, the simulators replay evenings in the past, the demo's clock runs
     * years ahead. With the default seven days the broker's retention check (every five minutes)
     * deleted a bench's backlog under a job that was still reading it. Production topics (k8s/)
     * keep time-based retention (there event time follows the wall clock), and dead letters a month
     * there.
     */
    static final String LOCAL_RETENTION_BYTES = Long.toString(1L << 30);

    private final Endpoints endpoints;
    private final PrintStream progress;

    public Provisioner(Endpoints endpoints, PrintStream progress) {
        this.endpoints = endpoints;
        this.progress = progress;
    }

    public void provision() {
        int created = createTopics();
        int registered = registerSchemas();
        progress.printf(
                "  topics: %d declared (%d new); schemas: %d subjects registered%n",
                Topic.allNames().size(), created, registered);
    }

    /** Kafka admin settings that fail in seconds, not minutes, when no broker answers. */
    public static Properties adminProperties(String bootstrap) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000);
        props.put(AdminClientConfig.CLIENT_DNS_LOOKUP_CONFIG, "use_all_dns_ips");
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
        return props;
    }

    /**
     * How far ahead of the broker's clock a record timestamp may be on the local stack. The demo
     * plays 2026-2031 on an accelerated clock, so the rights lifecycle job stamps transitions with
     * simulated instants years ahead; Kafka's default (one hour) would refuse them. Production
     * topics (k8s/) keep the default: there the job runs on the wall clock.
     */
    public static final long TIMESTAMP_AFTER_MAX_MS = 10L * 366 * 24 * 3600 * 1000;

    public static List<NewTopic> newTopics() {
        List<NewTopic> topics = new ArrayList<>();
        for (Topic topic : Topic.values()) {
            Map<String, String> configs = new HashMap<>();
            configs.put(
                    TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                    Long.toString(TIMESTAMP_AFTER_MAX_MS));
            switch (topic.cleanup()) {
                case COMPACT -> {
                    configs.put(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
                    configs.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "60000");
                }
                case KEEP_FOREVER -> {
                    configs.put(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                    configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                    configs.put(TopicConfig.RETENTION_BYTES_CONFIG, "-1");
                }
                case DELETE -> {
                    configs.put(
                            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
                    configs.put(TopicConfig.RETENTION_MS_CONFIG, "-1");
                    configs.put(TopicConfig.RETENTION_BYTES_CONFIG, LOCAL_RETENTION_BYTES);
                }
            }
            topics.add(
                    new NewTopic(topic.topicName(), topic.partitions(), (short) 1)
                            .configs(configs));
            if (topic.hasDlq()) {
                topics.add(
                        new NewTopic(topic.dlqName(), 1, (short) 1)
                                .configs(
                                        Map.of(
                                                TopicConfig.RETENTION_MS_CONFIG,
                                                "-1",
                                                TopicConfig.RETENTION_BYTES_CONFIG,
                                                LOCAL_RETENTION_BYTES,
                                                TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                                                Long.toString(TIMESTAMP_AFTER_MAX_MS))));
            }
        }
        return topics;
    }

    private int createTopics() {
        try (Admin admin = Admin.create(adminProperties(endpoints.bootstrapServers()))) {
            Set<String> existing;
            try {
                existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new UserError(
                        "Kafka is unreachable at "
                                + endpoints.bootstrapServers()
                                + " (start it with `bin/marquee stack up`)");
            }
            List<NewTopic> missing =
                    newTopics().stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.size();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("creating topics failed: " + e.getMessage(), e);
        }
    }

    private int registerSchemas() {
        SchemaRegistryClient registry =
                new SchemaRegistryClient(RegistryConfig.of(endpoints.registryUrl()));
        int count = 0;
        try {
            for (String name : Topic.allNames()) {
                String subject = Topic.subjectOf(name);
                registry.setCompatibility(subject, "BACKWARD");
                registry.register(subject, Topic.schemaForName(name));
                count++;
            }
        } catch (RegistryException e) {
            if (e.isUnreachable()) {
                throw new UserError(
                        "the schema registry is unreachable at " + endpoints.registryUrl());
            }
            throw e;
        }
        return count;
    }
}
