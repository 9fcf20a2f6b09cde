package dev.marquee.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.IndexedRecord;

/**
 * Plain JSON to Avro and back, for people: field names as in the schema, optional fields simply
 * absent or null (not Avro's {"string": ...} union wrapping), timestamps as ISO-8601 text (epoch
 * millis accepted on input), enums as their symbol, bytes as base64, and a single text where a list
 * of texts is expected read as a list of one. Input that does not fit the schema is refused with
 * the path of the field and why.
 */
public final class AvroJson {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AvroJson() {}

    /** A JSON value that does not fit the schema; the message names the field. */
    public static final class MismatchException extends IllegalArgumentException {
        private final String path;

        MismatchException(String path, String why) {
            super((path.isEmpty() ? "record" : "field '" + path + "'") + ": " + why);
            this.path = path;
        }

        public String path() {
            return path;
        }
    }

    public static GenericRecord parse(String json, Schema schema) {
        JsonNode node;
        try {
            node = JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new MismatchException("", "not valid JSON (" + e.getOriginalMessage() + ")");
        }
        return (GenericRecord) toAvro(node, schema, "");
    }

    public static GenericRecord fromJson(JsonNode node, Schema schema) {
        return (GenericRecord) toAvro(node, schema, "");
    }

    private static Object toAvro(JsonNode node, Schema schema, String path) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!node.isObject()) {
                    throw new MismatchException(
                            path,
                            "expected an object for " + schema.getName() + ", got " + kind(node));
                }
                GenericData.Record record = new GenericData.Record(schema);
                for (var it = node.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (schema.getField(name) == null) {
                        throw new MismatchException(
                                join(path, name),
                                "unknown field; "
                                        + schema.getName()
                                        + " has "
                                        + fieldNames(schema));
                    }
                }
                for (Schema.Field field : schema.getFields()) {
                    JsonNode value = node.get(field.name());
                    String fieldPath = join(path, field.name());
                    if (value == null || value.isNull()) {
                        if (field.hasDefaultValue()) {
                            record.put(field.pos(), GenericData.get().getDefaultValue(field));
                            continue;
                        }
                        if (nullable(field.schema())) {
                            record.put(field.pos(), null);
                            continue;
                        }
                        throw new MismatchException(fieldPath, "required field is missing");
                    }
                    record.put(field.pos(), toAvro(value, field.schema(), fieldPath));
                }
                return record;
            }
            case UNION -> {
                if (node.isNull()) {
                    if (nullable(schema)) {
                        return null;
                    }
                    throw new MismatchException(path, "must not be null");
                }
                MismatchException first = null;
                for (Schema branch : schema.getTypes()) {
                    if (branch.getType() == Schema.Type.NULL) {
                        continue;
                    }
                    try {
                        return toAvro(node, branch, path);
                    } catch (MismatchException e) {
                        if (first == null) {
                            first = e;
                        }
                    }
                }
                throw first != null ? first : new MismatchException(path, "no union branch fits");
            }
            case ARRAY -> {
                if (node.isTextual() && schema.getElementType().getType() == Schema.Type.STRING) {
                    // CONTRACT.md: a territory may be "one code or a list"; one text is a list of
                    // one.
                    return new GenericData.Array<>(schema, List.of(node.asText()));
                }
                if (!node.isArray()) {
                    throw new MismatchException(path, "expected an array, got " + kind(node));
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < node.size(); i++) {
                    items.add(toAvro(node.get(i), schema.getElementType(), path + "[" + i + "]"));
                }
                return new GenericData.Array<>(schema, items);
            }
            case MAP -> {
                if (!node.isObject()) {
                    throw new MismatchException(
                            path, "expected an object (map), got " + kind(node));
                }
                Map<String, Object> map = new java.util.LinkedHashMap<>();
                node.fields()
                        .forEachRemaining(
                                e ->
                                        map.put(
                                                e.getKey(),
                                                toAvro(
                                                        e.getValue(),
                                                        schema.getValueType(),
                                                        join(path, e.getKey()))));
                return map;
            }
            case ENUM -> {
                if (!node.isTextual() || !schema.hasEnumSymbol(node.asText())) {
                    throw new MismatchException(
                            path, "expected one of " + schema.getEnumSymbols() + ", got " + node);
                }
                return new GenericData.EnumSymbol(schema, node.asText());
            }
            case STRING -> {
                if (!node.isTextual()) {
                    throw new MismatchException(path, "expected a string, got " + kind(node));
                }
                return node.asText();
            }
            case BOOLEAN -> {
                if (!node.isBoolean()) {
                    throw new MismatchException(path, "expected true or false, got " + kind(node));
                }
                return node.asBoolean();
            }
            case INT -> {
                if (!node.canConvertToInt() || !node.isIntegralNumber()) {
                    throw new MismatchException(path, "expected an integer, got " + kind(node));
                }
                return node.asInt();
            }
            case LONG -> {
                if (isTimestamp(schema)) {
                    return timestamp(node, path);
                }
                if (!node.isIntegralNumber() || !node.canConvertToLong()) {
                    throw new MismatchException(path, "expected an integer, got " + kind(node));
                }
                return node.asLong();
            }
            case FLOAT, DOUBLE -> {
                if (!node.isNumber()) {
                    throw new MismatchException(path, "expected a number, got " + kind(node));
                }
                return schema.getType() == Schema.Type.FLOAT
                        ? (Object) node.floatValue()
                        : (Object) node.asDouble();
            }
            case BYTES -> {
                if (!node.isTextual()) {
                    throw new MismatchException(path, "expected base64 text, got " + kind(node));
                }
                try {
                    return ByteBuffer.wrap(Base64.getDecoder().decode(node.asText()));
                } catch (IllegalArgumentException e) {
                    throw new MismatchException(path, "not valid base64");
                }
            }
            default ->
                    throw new MismatchException(path, "unsupported Avro type " + schema.getType());
        }
    }

    private static long timestamp(JsonNode node, String path) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual()) {
            try {
                return Instant.parse(node.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new MismatchException(
                        path,
                        "expected an ISO-8601 instant like 2028-03-15T00:00:00Z, got \""
                                + node.asText()
                                + "\"");
            }
        }
        throw new MismatchException(
                path, "expected an ISO-8601 instant or epoch millis, got " + kind(node));
    }

    /**
     * Converts a generic record into its generated SpecificRecord class, logical types included
     * (timestamp longs become Instants), by a binary round trip through Avro's own readers.
     */
    public static <T extends org.apache.avro.specific.SpecificRecord> T toSpecific(
            GenericRecord record, Class<T> type) {
        try {
            var bytes = new java.io.ByteArrayOutputStream();
            var encoder = org.apache.avro.io.EncoderFactory.get().binaryEncoder(bytes, null);
            new org.apache.avro.generic.GenericDatumWriter<GenericRecord>(record.getSchema())
                    .write(record, encoder);
            encoder.flush();
            var decoder =
                    org.apache.avro.io.DecoderFactory.get()
                            .binaryDecoder(bytes.toByteArray(), null);
            return new org.apache.avro.specific.SpecificDatumReader<>(type).read(null, decoder);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(
                    "cannot convert " + record.getSchema().getFullName() + " to " + type, e);
        }
    }

    /** Renders an Avro record (generic or specific) as plain JSON. */
    public static ObjectNode toJson(IndexedRecord record) {
        return (ObjectNode) toJsonNode(record, record.getSchema());
    }

    public static String toJsonString(IndexedRecord record) {
        return toJson(record).toString();
    }

    private static JsonNode toJsonNode(Object value, Schema schema) {
        if (value == null) {
            return NODES.nullNode();
        }
        switch (schema.getType()) {
            case RECORD -> {
                IndexedRecord record = (IndexedRecord) value;
                ObjectNode out = NODES.objectNode();
                for (Schema.Field field : schema.getFields()) {
                    out.set(field.name(), toJsonNode(record.get(field.pos()), field.schema()));
                }
                return out;
            }
            case UNION -> {
                // Generated records hold optional timestamps as Instants, which GenericData
                // cannot place in a union: they belong to the timestamp branch.
                if (value instanceof Instant) {
                    for (Schema branch : schema.getTypes()) {
                        if (isTimestamp(branch)) {
                            return toJsonNode(value, branch);
                        }
                    }
                }
                int branch = GenericData.get().resolveUnion(schema, value);
                return toJsonNode(value, schema.getTypes().get(branch));
            }
            case ARRAY -> {
                ArrayNode out = NODES.arrayNode();
                for (Object item : (Collection<?>) value) {
                    out.add(toJsonNode(item, schema.getElementType()));
                }
                return out;
            }
            case MAP -> {
                ObjectNode out = NODES.objectNode();
                ((Map<?, ?>) value)
                        .forEach(
                                (k, v) ->
                                        out.set(
                                                k.toString(),
                                                toJsonNode(v, schema.getValueType())));
                return out;
            }
            case LONG -> {
                if (isTimestamp(schema)) {
                    long millis =
                            value instanceof Instant i
                                    ? i.toEpochMilli()
                                    : ((Number) value).longValue();
                    return NODES.textNode(Instant.ofEpochMilli(millis).toString());
                }
                return NODES.numberNode(((Number) value).longValue());
            }
            case INT -> {
                return NODES.numberNode(((Number) value).intValue());
            }
            case FLOAT, DOUBLE -> {
                return NODES.numberNode(((Number) value).doubleValue());
            }
            case BOOLEAN -> {
                return NODES.booleanNode((Boolean) value);
            }
            case BYTES -> {
                ByteBuffer buffer = ((ByteBuffer) value).duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
            }
            default -> {
                return NODES.textNode(value.toString());
            }
        }
    }

    private static boolean isTimestamp(Schema schema) {
        return schema.getLogicalType() != null
                && schema.getLogicalType().getName().startsWith("timestamp-");
    }

    private static boolean nullable(Schema schema) {
        return schema.getType() == Schema.Type.NULL
                || (schema.getType() == Schema.Type.UNION
                        && schema.getTypes().stream()
                                .anyMatch(s -> s.getType() == Schema.Type.NULL));
    }

    private static String join(String path, String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    private static String kind(JsonNode node) {
        return node.isTextual()
                ? "text \"" + node.asText() + "\""
                : node.getNodeType().toString().toLowerCase() + " " + node;
    }

    private static List<String> fieldNames(Schema schema) {
        return schema.getFields().stream().map(Schema.Field::name).toList();
    }
}
