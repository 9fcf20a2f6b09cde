package dev.marquee.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.DeadLetter;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The build gate for schema changes: every topic's current value schema must read data written with
 * every earlier released version (BACKWARD compatibility, what the registry enforces on its
 * subjects). Earlier versions live in {@code schemas/history/vN/}; a release copies src/main/avro
 * there.
 */
class SchemaEvolutionTest {

    private static final List<String> CONTRACT_TOPICS =
            List.of(
                    "metadata.feed.raw",
                    "metadata.overrides",
                    "catalog.titles",
                    "metadata.review",
                    "rights.events",
                    "rights.transitions",
                    "catalog.availability",
                    "rights.audit",
                    "playback.telemetry",
                    "encode.tasks",
                    "encode.results",
                    "demand.forecasts",
                    "cdn.prewarm",
                    "cdn.rollout",
                    "slo.metrics",
                    "slo.alerts",
                    "compliance.violations");

    @Test
    void everyContractTopicHasASchema() {
        for (String name : CONTRACT_TOPICS) {
            assertThat(Topic.isKnown(name)).as(name).isTrue();
            assertThat(Topic.schemaForName(name).getType()).isEqualTo(Schema.Type.RECORD);
        }
        assertThat(Topic.schemaForName("rights.events.dlq")).isEqualTo(DeadLetter.getClassSchema());
        assertThat(Topic.isKnown("catalog.titles.dlq")).isFalse();
        assertThat(Topic.isKnown("no.such.topic")).isFalse();
    }

    @Test
    void everyFieldIsDocumented() {
        for (Topic topic : Topic.values()) {
            assertDocumented(topic.valueSchema(), new ArrayList<>());
        }
        assertDocumented(DeadLetter.getClassSchema(), new ArrayList<>());
    }

    @Test
    void currentSchemasAreBackwardCompatibleWithEveryReleasedVersion() throws IOException {
        List<Path> versions = historyVersions();
        assertThat(versions).as("schemas/history must keep the released versions").isNotEmpty();
        for (Path version : versions) {
            Map<String, Schema> released = parseAll(version);
            for (Topic topic : Topic.values()) {
                Schema current = topic.valueSchema();
                Schema old = released.get(current.getFullName());
                if (old == null) {
                    continue; // topic introduced after that release
                }
                var result = SchemaCompatibility.checkReaderWriterCompatibility(current, old);
                assertThat(result.getType())
                        .as(
                                "%s (%s) must read data written with %s: %s",
                                topic.topicName(),
                                current.getFullName(),
                                version.getFileName(),
                                result.getResult().getIncompatibilities())
                        .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            }
        }
    }

    @Test
    void theGateCatchesAFieldAddedWithoutDefault() {
        Schema old = Topic.RIGHTS_EVENTS.valueSchema();
        Schema broken =
                SchemaBuilder.record(old.getName())
                        .namespace(old.getNamespace())
                        .fields()
                        .requiredString("rightId")
                        .requiredString("mustHaveNoDefault")
                        .endRecord();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, old).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static void assertDocumented(Schema schema, List<String> seen) {
        if (schema.getType() == Schema.Type.UNION) {
            schema.getTypes().forEach(s -> assertDocumented(s, seen));
            return;
        }
        if (schema.getType() == Schema.Type.ARRAY) {
            assertDocumented(schema.getElementType(), seen);
            return;
        }
        if (schema.getType() != Schema.Type.RECORD || seen.contains(schema.getFullName())) {
            return;
        }
        seen.add(schema.getFullName());
        assertThat(schema.getDoc()).as(schema.getFullName()).isNotBlank();
        for (Schema.Field field : schema.getFields()) {
            assertThat(field.doc()).as(schema.getFullName() + "." + field.name()).isNotBlank();
            assertDocumented(field.schema(), seen);
        }
    }

    private static List<Path> historyVersions() throws IOException {
        Path history = Path.of("history");
        if (!Files.isDirectory(history)) {
            history = Path.of("schemas", "history");
        }
        try (Stream<Path> dirs = Files.list(history)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** Parses a version's .avsc files, retrying so shared named types resolve in any order. */
    private static Map<String, Schema> parseAll(Path dir) throws IOException {
        List<File> pending;
        try (Stream<Path> files = Files.list(dir)) {
            pending =
                    new ArrayList<>(
                            files.filter(p -> p.toString().endsWith(".avsc"))
                                    .map(Path::toFile)
                                    .toList());
        }
        Map<String, Schema> parsed = new HashMap<>();
        Map<String, Schema> known = new HashMap<>();
        int rounds = 0;
        while (!pending.isEmpty() && rounds++ < 20) {
            for (var it = pending.iterator(); it.hasNext(); ) {
                File file = it.next();
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(known);
                try {
                    Schema schema = parser.parse(file);
                    parsed.put(schema.getFullName(), schema);
                    known.putAll(parser.getTypes());
                    it.remove();
                } catch (org.apache.avro.SchemaParseException e) {
                    // depends on a type not parsed yet; next round
                }
            }
        }
        assertThat(pending).as("unparseable schemas in " + dir).isEmpty();
        return parsed;
    }
}
