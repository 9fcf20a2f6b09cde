package dev.marquee.topics;

import dev.marquee.schema.Availability;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.ComplianceViolation;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DemandForecast;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.EncodeResult;
import dev.marquee.schema.EncodeTask;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PrewarmAction;
import dev.marquee.schema.ReviewItem;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.schema.RightsTransition;
import dev.marquee.schema.RolloutStep;
import dev.marquee.schema.SloAlert;
import dev.marquee.schema.SloMetric;
import dev.marquee.schema.TerritoryRightsCount;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/**
 * The topics of CONTRACT.md, with their value schema and how Kafka should keep them.
 *
 * <p>One list is the source of truth for topic creation (stack up, demo, tests), schema
 * registration, the SQL catalog and the k8s KafkaTopics, so none of them can forget a topic.
 * Dead-letter topics are derived ({@link #dlqName()}) for topics that jobs read from outside.
 */
public enum Topic {
    METADATA_FEED_RAW("metadata.feed.raw", FeedRecord.class, Cleanup.DELETE, 6, true),
    METADATA_OVERRIDES("metadata.overrides", EditorialOverride.class, Cleanup.COMPACT, 3, true),
    CATALOG_TITLES("catalog.titles", CanonicalTitle.class, Cleanup.COMPACT, 6, false),
    METADATA_REVIEW("metadata.review", ReviewItem.class, Cleanup.COMPACT, 3, false),
    RIGHTS_EVENTS("rights.events", RightEvent.class, Cleanup.DELETE, 6, true),
    RIGHTS_TRANSITIONS("rights.transitions", RightsTransition.class, Cleanup.DELETE, 6, false),
    RIGHTS_OPEN("rights.open", RightsTransition.class, Cleanup.DELETE, 6, false),
    CATALOG_AVAILABILITY("catalog.availability", Availability.class, Cleanup.COMPACT, 6, false),
    RIGHTS_AUDIT("rights.audit", RightsAuditRecord.class, Cleanup.KEEP_FOREVER, 6, false),
    RIGHTS_INTAKE_COUNTS(
            "rights.intake.counts", TerritoryRightsCount.class, Cleanup.DELETE, 3, false),
    PLAYBACK_TELEMETRY("playback.telemetry", PlaybackEvent.class, Cleanup.DELETE, 12, true),
    ENCODE_TASKS("encode.tasks", EncodeTask.class, Cleanup.DELETE, 6, false),
    ENCODE_RESULTS("encode.results", EncodeResult.class, Cleanup.DELETE, 6, true),
    DEMAND_FORECASTS("demand.forecasts", DemandForecast.class, Cleanup.COMPACT, 6, true),
    CDN_PREWARM("cdn.prewarm", PrewarmAction.class, Cleanup.DELETE, 3, false),
    CDN_ROLLOUT("cdn.rollout", RolloutStep.class, Cleanup.DELETE, 3, false),
    SLO_METRICS("slo.metrics", SloMetric.class, Cleanup.DELETE, 6, false),
    SLO_ALERTS("slo.alerts", SloAlert.class, Cleanup.DELETE, 3, false),
    COMPLIANCE_VIOLATIONS(
            "compliance.violations", ComplianceViolation.class, Cleanup.DELETE, 6, false);

    /** How the broker keeps a topic's records. */
    public enum Cleanup {
        /** Time-based retention: a stream of facts. */
        DELETE,
        /** Log compaction: the latest record per key is the current state. */
        COMPACT,
        /** No retention limit: the legal audit trail must never age out. */
        KEEP_FOREVER
    }

    public static final String DLQ_SUFFIX = ".dlq";

    private final String topicName;
    private final Class<? extends SpecificRecord> valueClass;
    private final Cleanup cleanup;
    private final int partitions;
    private final boolean hasDlq;

    Topic(
            String topicName,
            Class<? extends SpecificRecord> valueClass,
            Cleanup cleanup,
            int partitions,
            boolean hasDlq) {
        this.topicName = topicName;
        this.valueClass = valueClass;
        this.cleanup = cleanup;
        this.partitions = partitions;
        this.hasDlq = hasDlq;
    }

    /** The Kafka topic name, as CONTRACT.md spells it. */
    public String topicName() {
        return topicName;
    }

    /** The Confluent subject of the value schema (TopicNameStrategy). */
    public String subject() {
        return subjectOf(topicName);
    }

    public Class<? extends SpecificRecord> valueClass() {
        return valueClass;
    }

    public Schema valueSchema() {
        return schemaOf(valueClass);
    }

    public Cleanup cleanup() {
        return cleanup;
    }

    public int partitions() {
        return partitions;
    }

    /** Whether jobs read this topic from outside and so route bad records to a DLQ. */
    public boolean hasDlq() {
        return hasDlq;
    }

    public String dlqName() {
        return topicName + DLQ_SUFFIX;
    }

    public static String subjectOf(String topicName) {
        return topicName + "-value";
    }

    /** Finds a topic (or the DLQ of one) by its Kafka name. */
    public static Optional<Topic> byName(String name) {
        String base = name.endsWith(DLQ_SUFFIX) ? name.substring(0, name.length() - 4) : name;
        return Arrays.stream(values()).filter(t -> t.topicName.equals(base)).findFirst();
    }

    /** True for a name that is a known topic or the DLQ of a topic that has one. */
    public static boolean isKnown(String name) {
        Optional<Topic> t = byName(name);
        return t.isPresent() && (!name.endsWith(DLQ_SUFFIX) || t.get().hasDlq());
    }

    /** The value schema of a topic name, DLQs included. */
    public static Schema schemaForName(String name) {
        Topic topic =
                byName(name)
                        .orElseThrow(() -> new IllegalArgumentException("unknown topic " + name));
        return name.endsWith(DLQ_SUFFIX) ? DeadLetter.getClassSchema() : topic.valueSchema();
    }

    /** Every topic name including the DLQs, in catalog order. */
    public static List<String> allNames() {
        return Arrays.stream(values())
                .flatMap(
                        t ->
                                t.hasDlq
                                        ? List.of(t.topicName, t.dlqName()).stream()
                                        : List.of(t.topicName).stream())
                .toList();
    }

    static Schema schemaOf(Class<? extends SpecificRecord> type) {
        try {
            return (Schema) type.getField("SCHEMA$").get(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not a generated SpecificRecord: " + type, e);
        }
    }
}
