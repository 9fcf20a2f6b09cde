package dev.marquee.sql;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Generates the Flink SQL catalog ({@code jobs/sql/catalog.sql}): one {@code CREATE TABLE} per
 * topic of {@link Topic#allNames()}, DLQs included, derived from the topic's Avro value schema.
 *
 * <p>Why generated and not hand-written: the Avro schemas in {@code schemas/} are the one source of
 * truth. Flink SQL's {@code avro-confluent} format compares the table's columns with the Avro
 * schema it is given ({@code avro-confluent.schema}) and refuses any difference, including
 * nullability; without that option it derives its own schema (record name {@code
 * org.apache.flink.avro.generated.record}, every field nullable) which the registry then rejects as
 * incompatible with ours (HTTP 409). A catalog written twice would drift from the schemas the first
 * time a field is added; {@code CatalogGeneratorTest} fails when the committed file is not what
 * this class produces now.
 *
 * <p>The mapping from Avro to SQL types is the one Flink's own {@code
 * AvroSchemaConverter.convertToDataType} uses, because the format checks equality with it:
 *
 * <ul>
 *   <li>a type without a {@code null} union is {@code NOT NULL}; {@code ["null", X]} is nullable X
 *   <li>{@code string} and enums are {@code STRING} (an enum reads as its symbol)
 *   <li>{@code timestamp-millis} is {@code TIMESTAMP(3)}, not {@code TIMESTAMP_LTZ(3)}: the
 *       format's check uses Flink's legacy timestamp mapping. The wall clock it shows is UTC, which
 *       is why the catalog sets {@code table.local-time-zone} to UTC.
 *   <li>records are {@code ROW<...>}, arrays {@code ARRAY<...>}, maps {@code MAP<STRING, ...>},
 *       bytes {@code BYTES}
 * </ul>
 *
 * <p>Table layout, the same for every topic:
 *
 * <ul>
 *   <li>{@code kafka_key STRING}: the record key (a string on every topic, CONTRACT.md), read with
 *       the {@code raw} key format. Its own column, not one of the value's fields, because several
 *       keys are composite ({@code <contentId>|<territory>}); the value keeps exactly the Avro
 *       fields ({@code value.fields-include = EXCEPT_KEY}).
 *   <li>the value's fields, in schema order, with the schema's {@code doc} as column comment
 *   <li>{@code kafka_partition}, {@code kafka_offset}, {@code kafka_timestamp}: virtual metadata
 *   <li>a watermark on the record's event-time field where it has one (see {@link
 *       #eventTime(String)})
 * </ul>
 *
 * <p>Topics whose cleanup policy is {@link Topic.Cleanup#COMPACT} hold current state, so their
 * tables use the {@code upsert-kafka} connector with {@code PRIMARY KEY (kafka_key) NOT ENFORCED}:
 * reading one gives the latest value per key, and a tombstone deletes the row. Every other topic
 * (and every DLQ) is an append-only {@code kafka} table read from the earliest offset. Both read
 * with {@code isolation.level = read_committed}, as the jobs write transactionally.
 *
 * <p>The catalog is a template: {@value #BOOTSTRAP_PLACEHOLDER} and {@value #REGISTRY_PLACEHOLDER}
 * are replaced at launch by {@link SqlClientLauncher}. Regenerate with {@code bin/marquee sql
 * --generate-catalog} (or run this class's {@link #main}).
 */
public final class CatalogGenerator {
    /** Replaced by the Kafka bootstrap servers at launch. */
    public static final String BOOTSTRAP_PLACEHOLDER = "${KAFKA_BOOTSTRAP}";

    /** Replaced by the Confluent-compatible registry URL at launch. */
    public static final String REGISTRY_PLACEHOLDER = "${REGISTRY_URL}";

    /** The record key column of every table. */
    public static final String KEY_COLUMN = "kafka_key";

    /** Where the catalog lives, relative to the project root. */
    public static final String CATALOG_PATH = "jobs/sql/catalog.sql";

    private static final String INDENT = "  ";

    private CatalogGenerator() {}

    /**
     * The event-time field of a topic's records and how out of order they may arrive: the
     * watermark's bounded out-of-orderness.
     *
     * @param field a top-level {@code timestamp-millis} field of the value schema
     * @param bound a Flink SQL interval literal, e.g. {@code INTERVAL '5' MINUTE}
     */
    public record EventTimeColumn(String field, String bound) {}

    /** A column of a table: name, SQL type (with nullability), and comment (may be null). */
    public record Column(String name, String type, String comment) {}

    /**
     * The natural event time of each topic's records. Business events (rights, metadata, catalog,
     * encodes, CDN actions) use the five minutes of out-of-orderness the rights-intake job allows;
     * machine telemetry and the windows computed from it arrive within seconds. Topics without a
     * top-level event-time field (metadata.feed.raw keeps it inside provenance) have no watermark.
     * Dead letters use the instant they were rejected.
     */
    public static Optional<EventTimeColumn> eventTime(String topicName) {
        if (topicName.endsWith(Topic.DLQ_SUFFIX)) {
            return Optional.of(new EventTimeColumn("failedAt", minutes(5)));
        }
        Topic topic = topicOf(topicName);
        return switch (topic) {
            case METADATA_FEED_RAW -> Optional.empty();
            case METADATA_OVERRIDES, RIGHTS_EVENTS ->
                    Optional.of(new EventTimeColumn("issuedAt", minutes(5)));
            case CATALOG_TITLES -> Optional.of(new EventTimeColumn("updatedAt", minutes(5)));
            case METADATA_REVIEW, SLO_ALERTS ->
                    Optional.of(new EventTimeColumn("raisedAt", minutes(5)));
            case RIGHTS_TRANSITIONS,
                    RIGHTS_OPEN,
                    RIGHTS_AUDIT,
                    CDN_ROLLOUT,
                    COMPLIANCE_VIOLATIONS ->
                    Optional.of(new EventTimeColumn("at", minutes(5)));
            case CATALOG_AVAILABILITY ->
                    Optional.of(new EventTimeColumn("effectiveFrom", minutes(5)));
            case RIGHTS_INTAKE_COUNTS -> Optional.of(new EventTimeColumn("windowEnd", minutes(5)));
            case PLAYBACK_TELEMETRY -> Optional.of(new EventTimeColumn("at", seconds(30)));
            case SLO_METRICS -> Optional.of(new EventTimeColumn("windowEnd", seconds(30)));
            case ENCODE_TASKS, CDN_PREWARM ->
                    Optional.of(new EventTimeColumn("createdAt", minutes(5)));
            case ENCODE_RESULTS -> Optional.of(new EventTimeColumn("finishedAt", minutes(5)));
            case DEMAND_FORECASTS -> Optional.of(new EventTimeColumn("generatedAt", minutes(5)));
        };
    }

    /** The SQL table name of a topic: dots become underscores ({@code rights_events_dlq}). */
    public static String tableName(String topicName) {
        return topicName.replace('.', '_').replace('-', '_');
    }

    /** Whether a topic is read as current state (upsert-kafka) rather than as a stream. */
    public static boolean isUpsert(String topicName) {
        return !topicName.endsWith(Topic.DLQ_SUFFIX)
                && topicOf(topicName).cleanup() == Topic.Cleanup.COMPACT;
    }

    /** The whole catalog text, as committed in {@value #CATALOG_PATH}. */
    public static String generate() {
        StringBuilder out = new StringBuilder();
        out.append(header());
        out.append(settings());
        for (String topic : Topic.allNames()) {
            out.append('\n').append(createTable(topic));
        }
        return out.toString();
    }

    /** The catalog with its placeholders replaced: what the SQL client runs as its init file. */
    public static String substitute(String catalog, String bootstrapServers, String registryUrl) {
        return catalog.replace(BOOTSTRAP_PLACEHOLDER, literalContent(bootstrapServers))
                .replace(REGISTRY_PLACEHOLDER, literalContent(registryUrl));
    }

    private static String header() {
        return String.join(
                "\n",
                "-- Marquee Flink SQL catalog: every Kafka topic (dead-letter topics included) as a"
                        + " table.",
                "--",
                "-- GENERATED by dev.marquee.sql.CatalogGenerator from the Avro value schemas in"
                        + " schemas/src/main/avro.",
                "-- Do not edit by hand: change the .avsc (or the generator), then regenerate with",
                "--     bin/marquee sql --generate-catalog",
                "-- CatalogGeneratorTest fails while this file differs from what the generator"
                        + " produces.",
                "--",
                "-- Each table: kafka_key (the record key, a string), the value's fields with the"
                        + " schema's",
                "-- nullability, kafka_partition / kafka_offset / kafka_timestamp metadata, and a"
                        + " watermark on the",
                "-- event-time field where there is one. Compacted topics (current state) are"
                        + " upsert-kafka tables",
                "-- keyed by kafka_key, the others append-only kafka tables read from the earliest"
                        + " offset.",
                "-- "
                        + BOOTSTRAP_PLACEHOLDER
                        + " and "
                        + REGISTRY_PLACEHOLDER
                        + " are replaced when bin/marquee sql starts the client.",
                "",
                "");
    }

    private static String settings() {
        return String.join(
                "\n",
                "-- A failing INSERT would otherwise restart forever.",
                "SET 'restart-strategy.type' = 'none';",
                "-- Results print inline (and -f scripts can be read and diffed).",
                "SET 'sql-client.execution.result-mode' = 'tableau';",
                "-- TIMESTAMP(3) columns hold UTC wall-clock time (Avro timestamp-millis).",
                "SET 'table.local-time-zone' = 'UTC';",
                "-- Partitions without traffic must not hold back event time (rights topics are"
                        + " quiet).",
                "SET 'table.exec.source.idle-timeout' = '30 s';",
                "");
    }

    /** The CREATE TABLE statement of one topic (or DLQ). */
    public static String createTable(String topicName) {
        Schema schema = Topic.schemaForName(topicName);
        boolean upsert = isUpsert(topicName);
        Optional<EventTimeColumn> eventTime = eventTime(topicName);
        eventTime.ifPresent(et -> checkEventTimeField(topicName, schema, et.field()));

        List<String> lines = new ArrayList<>();
        lines.add(
                column(
                        new Column(
                                KEY_COLUMN,
                                upsert ? "STRING NOT NULL" : "STRING",
                                "Kafka record key: " + keyDescription(schema))));
        for (Column c : valueColumns(schema)) {
            lines.add(column(c));
        }
        lines.add(
                INDENT
                        + quote("kafka_partition")
                        + " INT METADATA FROM 'partition' VIRTUAL COMMENT 'Kafka partition'");
        lines.add(
                INDENT
                        + quote("kafka_offset")
                        + " BIGINT METADATA FROM 'offset' VIRTUAL COMMENT 'Kafka offset'");
        lines.add(
                INDENT
                        + quote("kafka_timestamp")
                        + " TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL"
                        + " COMMENT 'Kafka record timestamp'");
        eventTime.ifPresent(
                et ->
                        lines.add(
                                INDENT
                                        + "WATERMARK FOR "
                                        + quote(et.field())
                                        + " AS "
                                        + quote(et.field())
                                        + " - "
                                        + et.bound()));
        if (upsert) {
            lines.add(INDENT + "PRIMARY KEY (" + quote(KEY_COLUMN) + ") NOT ENFORCED");
        }

        List<String> options = new ArrayList<>();
        options.add(option("connector", upsert ? "upsert-kafka" : "kafka"));
        options.add(option("topic", topicName));
        options.add(option("properties.bootstrap.servers", BOOTSTRAP_PLACEHOLDER));
        options.add(option("properties.isolation.level", "read_committed"));
        if (!upsert) {
            // upsert-kafka always reads from the earliest offset; it has no such option.
            options.add(option("scan.startup.mode", "earliest-offset"));
        }
        options.add(option("key.format", "raw"));
        if (!upsert) {
            // upsert-kafka takes its key fields from the primary key.
            options.add(option("key.fields", KEY_COLUMN));
        }
        options.add(option("value.format", "avro-confluent"));
        options.add(option("value.fields-include", "EXCEPT_KEY"));
        options.add(option("value.avro-confluent.url", REGISTRY_PLACEHOLDER));
        options.add(option("value.avro-confluent.subject", Topic.subjectOf(topicName)));
        options.add(option("value.avro-confluent.schema", schema.toString()));

        return "-- "
                + topicName
                + (upsert ? " (compacted: latest value per key)" : "")
                + "\nCREATE TABLE "
                + quote(tableName(topicName))
                + " (\n"
                + String.join(",\n", lines)
                + "\n) COMMENT "
                + literal(oneLine(schema.getDoc()))
                + "\nWITH (\n"
                + String.join(",\n", options)
                + "\n);\n";
    }

    /** The value's fields as table columns, in schema order. */
    public static List<Column> valueColumns(Schema record) {
        List<Column> columns = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            columns.add(new Column(field.name(), sqlType(field.schema()), field.doc()));
        }
        return columns;
    }

    /**
     * The value schema as one SQL row type, {@code ROW<`f` T, ...> NOT NULL}: the type the
     * avro-confluent format compares the table with. Tests parse it with Flink's type parser.
     */
    public static String valueRowType(Schema record) {
        return rowType(record);
    }

    /** The Flink SQL type of an Avro schema, with Flink's nullability rules. */
    public static String sqlType(Schema schema) {
        switch (schema.getType()) {
            case UNION -> {
                List<Schema> types = schema.getTypes();
                List<Schema> nonNull =
                        types.stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
                if (nonNull.size() == 1 && types.size() == 2) {
                    return nullable(sqlType(nonNull.get(0)));
                }
                throw new IllegalArgumentException(
                        "Flink SQL cannot read the union "
                                + schema
                                + ": only [\"null\", T] maps to a SQL type");
            }
            case RECORD -> {
                return rowType(schema);
            }
            case ENUM, STRING -> {
                return "STRING NOT NULL";
            }
            case ARRAY -> {
                return "ARRAY<" + sqlType(schema.getElementType()) + "> NOT NULL";
            }
            case MAP -> {
                return "MAP<STRING NOT NULL, " + sqlType(schema.getValueType()) + "> NOT NULL";
            }
            case BOOLEAN -> {
                return "BOOLEAN NOT NULL";
            }
            case INT -> {
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.Date) {
                    return "DATE NOT NULL";
                }
                if (logical instanceof LogicalTypes.TimeMillis) {
                    return "TIME(3) NOT NULL";
                }
                return "INT NOT NULL";
            }
            case LONG -> {
                LogicalType logical = schema.getLogicalType();
                if (logical instanceof LogicalTypes.TimestampMillis) {
                    return "TIMESTAMP(3) NOT NULL";
                }
                if (logical instanceof LogicalTypes.TimestampMicros) {
                    return "TIMESTAMP(6) NOT NULL";
                }
                if (logical != null) {
                    throw new IllegalArgumentException(
                            "no Flink SQL mapping chosen for long/" + logical.getName());
                }
                return "BIGINT NOT NULL";
            }
            case FLOAT -> {
                return "FLOAT NOT NULL";
            }
            case DOUBLE -> {
                return "DOUBLE NOT NULL";
            }
            case BYTES -> {
                if (schema.getLogicalType() instanceof LogicalTypes.Decimal d) {
                    return "DECIMAL(" + d.getPrecision() + ", " + d.getScale() + ") NOT NULL";
                }
                return "BYTES NOT NULL";
            }
            default ->
                    throw new IllegalArgumentException(
                            "no Flink SQL mapping chosen for Avro type " + schema.getType());
        }
    }

    private static String rowType(Schema record) {
        List<String> fields = new ArrayList<>();
        for (Schema.Field field : record.getFields()) {
            fields.add(quote(field.name()) + " " + sqlType(field.schema()));
        }
        return "ROW<" + String.join(", ", fields) + "> NOT NULL";
    }

    private static String nullable(String type) {
        if (!type.endsWith(" NOT NULL")) {
            throw new IllegalArgumentException("nested null union: " + type);
        }
        return type.substring(0, type.length() - " NOT NULL".length());
    }

    private static void checkEventTimeField(String topicName, Schema schema, String field) {
        Schema.Field f = schema.getField(field);
        if (f == null
                || f.schema().getType() != Schema.Type.LONG
                || !(f.schema().getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
            throw new IllegalStateException(
                    "event-time field "
                            + field
                            + " of "
                            + topicName
                            + " must be a non-null timestamp-millis field of its schema");
        }
    }

    private static String keyDescription(Schema schema) {
        String doc = schema.getDoc() == null ? "" : schema.getDoc();
        int at = doc.lastIndexOf("Key: ");
        if (at < 0) {
            return "string";
        }
        String key = doc.substring(at + "Key: ".length()).trim();
        return key.endsWith(".") ? key.substring(0, key.length() - 1) : key;
    }

    private static Topic topicOf(String topicName) {
        return Topic.byName(topicName)
                .orElseThrow(() -> new IllegalArgumentException("unknown topic " + topicName));
    }

    private static String column(Column c) {
        String comment = c.comment() == null ? "" : " COMMENT " + literal(oneLine(c.comment()));
        return INDENT + quote(c.name()) + " " + c.type() + comment;
    }

    private static String option(String key, String value) {
        return INDENT + literal(key) + " = " + literal(value);
    }

    private static String minutes(int n) {
        return "INTERVAL '" + n + "' MINUTE";
    }

    private static String seconds(int n) {
        return "INTERVAL '" + n + "' SECOND";
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private static String literal(String value) {
        return "'" + literalContent(value) + "'";
    }

    private static String literalContent(String value) {
        return value.replace("'", "''");
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("\\s+", " ").trim();
    }

    /** The catalog file of a project. */
    public static Path catalogFile(MarqueeHome home) {
        return home.sqlDir().resolve("catalog.sql");
    }

    /** Writes the catalog; returns true when the file changed. */
    public static boolean write(Path file) throws IOException {
        String text = generate();
        if (Files.isRegularFile(file)
                && Files.readString(file, StandardCharsets.UTF_8).equals(text)) {
            return false;
        }
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return true;
    }

    /**
     * Regenerates the catalog: {@code CatalogGenerator [FILE]}, FILE defaulting to the project's
     * {@value #CATALOG_PATH}. {@code bin/marquee sql --generate-catalog} does the same.
     */
    public static void main(String[] args) throws IOException {
        Path file = args.length > 0 ? Path.of(args[0]) : catalogFile(MarqueeHome.detect());
        boolean changed = write(file);
        System.out.println((changed ? "wrote " : "unchanged: ") + file);
    }
}
