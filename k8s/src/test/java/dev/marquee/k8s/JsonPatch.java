package dev.marquee.k8s;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * RFC 6902 JSON Patch, as kustomize applies the {@code patches:} entries that are lists of
 * operations. It is as strict as kustomize: {@code replace}, {@code remove}, {@code move}, {@code
 * copy} and {@code test} need their path to exist, {@code add} needs its parent, so a patch whose
 * path no longer matches the base (a field renamed in base, say) fails here rather than at {@code
 * kubectl apply}.
 */
final class JsonPatch {

    private static final Set<String> FIELDS = Set.of("op", "path", "value", "from");

    private JsonPatch() {}

    /** Applies every operation of {@code operations} to {@code document}, in place. */
    static void apply(ObjectNode document, JsonNode operations) {
        if (!operations.isArray()) {
            throw new IllegalArgumentException("a JSON patch is a list of operations");
        }
        for (int i = 0; i < operations.size(); i++) {
            JsonNode operation = operations.get(i);
            try {
                applyOne(document, operation);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "operation " + i + " " + operation + ": " + e.getMessage(), e);
            }
        }
    }

    private static void applyOne(ObjectNode document, JsonNode operation) {
        if (!operation.isObject()) {
            throw new IllegalArgumentException("is not a mapping");
        }
        operation
                .fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!FIELDS.contains(name)) {
                                throw new IllegalArgumentException("unknown field '" + name + "'");
                            }
                        });
        JsonPointer path = pointer(operation, "path");
        String op = operation.path("op").asText("");
        switch (op) {
            case "add" -> add(document, path, value(operation));
            case "replace" -> {
                existing(document, path);
                remove(document, path);
                add(document, path, value(operation));
            }
            case "remove" -> {
                existing(document, path);
                remove(document, path);
            }
            case "test" -> {
                if (!existing(document, path).equals(value(operation))) {
                    throw new IllegalArgumentException("test failed");
                }
            }
            case "copy" -> add(document, path, existing(document, pointer(operation, "from")));
            case "move" -> {
                JsonPointer from = pointer(operation, "from");
                JsonNode moved = existing(document, from);
                remove(document, from);
                add(document, path, moved);
            }
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        }
    }

    private static JsonPointer pointer(JsonNode operation, String field) {
        JsonNode text = operation.get(field);
        if (text == null || !text.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        JsonPointer pointer = JsonPointer.compile(text.asText());
        if (pointer.matches()) {
            throw new IllegalArgumentException("the whole document cannot be patched");
        }
        return pointer;
    }

    private static JsonNode value(JsonNode operation) {
        if (!operation.has("value")) {
            throw new IllegalArgumentException("'value' is missing");
        }
        return operation.get("value").deepCopy();
    }

    private static JsonNode existing(JsonNode document, JsonPointer path) {
        JsonNode found = document.at(path);
        if (found.isMissingNode()) {
            throw new IllegalArgumentException("path " + path + " does not exist");
        }
        return found.deepCopy();
    }

    private static void add(JsonNode document, JsonPointer path, JsonNode value) {
        JsonNode parent = document.at(path.head());
        JsonPointer last = path.last();
        if (parent.isObject()) {
            ((ObjectNode) parent).set(last.getMatchingProperty(), value);
        } else if (parent.isArray()) {
            ArrayNode array = (ArrayNode) parent;
            if ("-".equals(last.getMatchingProperty())) {
                array.add(value);
            } else if (last.getMatchingIndex() >= 0 && last.getMatchingIndex() <= array.size()) {
                array.insert(last.getMatchingIndex(), value);
            } else {
                throw new IllegalArgumentException("index out of range at " + path);
            }
        } else {
            throw new IllegalArgumentException("parent of " + path + " does not exist");
        }
    }

    private static void remove(JsonNode document, JsonPointer path) {
        JsonNode parent = document.at(path.head());
        JsonPointer last = path.last();
        if (parent.isObject()) {
            ((ObjectNode) parent).remove(last.getMatchingProperty());
        } else if (parent.isArray()) {
            ((ArrayNode) parent).remove(last.getMatchingIndex());
        }
    }
}
