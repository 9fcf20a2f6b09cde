package dev.marquee.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads YAML the way the manifests are meant: several documents per file allowed, empty documents
 * skipped, and a key given twice in one mapping rejected. YAML parsers normally keep the last of
 * two equal keys, so a duplicated block would silently override the first; kubectl refuses such
 * files, and so does this.
 */
final class Yaml {

    private static final ObjectMapper MAPPER =
            new YAMLMapper(
                    YAMLFactory.builder()
                            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                            .build());

    private Yaml() {}

    /** Every non-empty document of a YAML file, in order. */
    static List<JsonNode> documents(Path file) {
        try (JsonParser parser = MAPPER.createParser(file.toFile())) {
            return documents(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every non-empty document of a YAML text. */
    static List<JsonNode> documents(String yaml) {
        try (JsonParser parser = MAPPER.createParser(yaml)) {
            return documents(parser);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse YAML: " + e.getMessage(), e);
        }
    }

    /** The single document of a YAML text. */
    static JsonNode document(String yaml) {
        List<JsonNode> documents = documents(yaml);
        if (documents.size() != 1) {
            throw new IllegalArgumentException(
                    "expected one YAML document, found " + documents.size());
        }
        return documents.get(0);
    }

    /**
     * Reads root values one by one. (An ObjectReader's readValues would also split a root-level
     * list into its items, which would take a JSON patch file apart.)
     */
    private static List<JsonNode> documents(JsonParser parser) throws IOException {
        List<JsonNode> result = new ArrayList<>();
        while (parser.nextToken() != null) {
            JsonNode document = MAPPER.readTree(parser);
            if (document != null && !document.isNull() && !document.isMissingNode()) {
                result.add(document);
            }
        }
        return result;
    }
}
