package dev.marquee.rights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import dev.marquee.io.AvroJson;
import dev.marquee.schema.RightEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Reading rights and queries as people write them: a right in RightEvent's plain-JSON form, with
 * {@code issuedAt} optional (a fixed default, it does not affect availability) and {@code status}
 * in any case ({@code active}/{@code revoked} as in CONTRACT.md); a query {@code {contentId,
 * territory, at}} with {@code at} an instant. Errors are {@link UserError}s naming where.
 */
final class RightsInput {
    static final ObjectMapper JSON = new ObjectMapper();

    /** issuedAt when a right leaves it out: it is event time for the Flink job, not semantics. */
    static final String DEFAULT_ISSUED_AT = "1970-01-01T00:00:00Z";

    private RightsInput() {}

    /** One query: what to ask the evaluator. */
    record Query(String contentId, String territory, String atText, Instant at) {}

    static Path existingFile(String file, String what) {
        Path path = MarqueeHome.detect().userFile(Path.of(file));
        if (!Files.isRegularFile(path)) {
            throw new UserError(what + " file " + file + " does not exist");
        }
        return path;
    }

    static List<String> lines(Path path) {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
    }

    static JsonNode tree(String json, String where) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UserError(where + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A right from its JSON object; {@code where} names the place for errors. */
    static RightEvent right(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new UserError(where + ": a right must be a JSON object");
        }
        ObjectNode copy = ((ObjectNode) node).deepCopy();
        if (!copy.hasNonNull("issuedAt")) {
            copy.put("issuedAt", DEFAULT_ISSUED_AT);
        }
        JsonNode status = copy.get("status");
        if (status != null && status.isTextual()) {
            copy.set("status", TextNode.valueOf(status.asText().toUpperCase(Locale.ROOT)));
        }
        try {
            return AvroJson.toSpecific(
                    AvroJson.fromJson(copy, RightEvent.getClassSchema()), RightEvent.class);
        } catch (AvroJson.MismatchException e) {
            throw new UserError(where + " is not a right: " + e.getMessage());
        }
    }

    /** Applies a right, turning a malformed one into a user error. */
    static RightsEvaluator.Outcome accept(
            RightsEvaluator evaluator, RightEvent right, String where) {
        try {
            return evaluator.accept(right);
        } catch (IllegalArgumentException e) {
            throw new UserError(where + ": " + e.getMessage());
        }
    }

    /** An instant like 2026-11-20T08:00:00Z given as an option. */
    static Instant instant(String text, String option) {
        try {
            return Instant.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UserError(
                    option + " '" + text + "' is not an instant like 2026-11-20T08:00:00Z");
        }
    }

    static Query query(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new UserError(where + ": a query must be a JSON object");
        }
        String contentId = text(node, "contentId", where);
        String territory = text(node, "territory", where);
        String atText = text(node, "at", where);
        Instant at;
        try {
            RightTime time = RightTime.parse(atText);
            if (!(time instanceof RightTime.AtInstant instant)) {
                throw new UserError(
                        where
                                + ": field 'at' must be an instant with Z or an offset"
                                + " (2028-03-15T00:00:00Z), got '"
                                + atText
                                + "'");
            }
            at = instant.instant();
        } catch (IllegalArgumentException e) {
            throw new UserError(where + ": field 'at': " + e.getMessage());
        }
        if (Territories.countryIndex(territory) < 0) {
            String why =
                    Territories.isKnown(territory)
                            ? "'" + territory + "' is a region; ask per country (ISO alpha-2)"
                            : Territories.explainUnknown(territory);
            throw new UserError(where + ": field 'territory': " + why);
        }
        return new Query(contentId, territory, atText, at);
    }

    static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new UserError(where + ": field '" + field + "' is missing");
        }
        if (!value.isTextual()) {
            throw new UserError(where + ": field '" + field + "' must be a string");
        }
        return value.asText();
    }
}
