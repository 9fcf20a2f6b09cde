package dev.marquee.cli;

import org.apache.avro.generic.GenericRecord;

/** The record keys of CONTRACT.md's topic table, computed from a record's fields. */
public final class RecordKeys {
    private RecordKeys() {}

    public static String keyOf(String topicName, GenericRecord r) {
        if (topicName.endsWith(".dlq")) {
            return str(r, "key");
        }
        return switch (topicName) {
            case "metadata.feed.raw" -> str(r, "vendor") + ":" + str(r, "vendorRecordId");
            case "metadata.overrides", "catalog.titles", "rights.audit", "cdn.rollout" ->
                    str(r, "contentId");
            case "metadata.review" -> str(r, "reviewId");
            case "rights.events" -> str(r, "rightId");
            case "rights.transitions", "catalog.availability", "demand.forecasts" ->
                    str(r, "contentId") + "|" + str(r, "territory");
            case "rights.intake.counts" -> str(r, "territory") + "|" + str(r, "windowStart");
            case "playback.telemetry", "compliance.violations" -> str(r, "sessionId");
            case "encode.tasks", "encode.results" -> str(r, "taskId");
            case "cdn.prewarm" -> str(r, "actionId");
            case "slo.metrics" ->
                    str(r, "territory") + "|" + str(r, "deviceClass") + "|" + str(r, "sli");
            case "slo.alerts" -> str(r, "alertId");
            default -> null;
        };
    }

    /** Event-time fields, in order of preference: the first one a schema has is the event time. */
    private static final java.util.List<String> EVENT_TIME_FIELDS =
            java.util.List.of(
                    "issuedAt",
                    "at",
                    "raisedAt",
                    "finishedAt",
                    "createdAt",
                    "generatedAt",
                    "updatedAt",
                    "effectiveFrom",
                    "windowEnd",
                    "failedAt");

    /**
     * The record's event time in epoch millis, used as the Kafka record timestamp: Marquee's jobs
     * take event time (and per-partition watermarks) from it. Null when the schema has none.
     */
    public static Long eventTimeOf(GenericRecord r) {
        for (String name : EVENT_TIME_FIELDS) {
            var field = r.getSchema().getField(name);
            if (field != null && r.get(name) instanceof Long millis) {
                return millis;
            }
        }
        // Feed records carry their event time (the ingest time) in their provenance.
        if (r.getSchema().getField("provenance") != null
                && r.get("provenance") instanceof GenericRecord provenance
                && provenance.getSchema().getField("ingestedAt") != null
                && provenance.get("ingestedAt") instanceof Long millis) {
            return millis;
        }
        return null;
    }

    private static String str(GenericRecord r, String field) {
        Object v = r.get(field);
        if (v instanceof Long l
                && r.getSchema().getField(field).schema().getLogicalType() != null) {
            return java.time.Instant.ofEpochMilli(l).toString();
        }
        return v == null ? "" : v.toString();
    }
}
