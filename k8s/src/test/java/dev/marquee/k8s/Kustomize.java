package dev.marquee.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads, checks and builds kustomizations without the kustomize binary, which the build machines do
 * not have.
 *
 * <p>{@link #lint} checks one {@code kustomization.yaml} against an allow-list of kustomize fields
 * (deprecated ones such as {@code patchesStrategicMerge} and {@code commonLabels} are left out on
 * purpose) and checks that every file it names exists. {@link #build} renders a directory like
 * {@code kustomize build} for the subset of kustomize these manifests use: {@code resources},
 * {@code patches} (JSON 6902 operation lists, and strategic merges of mappings by key and of lists
 * by {@code name}), {@code namespace} and {@code labels} without selectors. A kustomization using
 * anything else is reported rather than half-built, and {@code ManifestsTest} compares the result
 * with the real kustomize wherever one is installed.
 */
final class Kustomize {

    static final String FILE = "kustomization.yaml";

    private static final Set<String> TOP_LEVEL =
            Set.of(
                    "apiVersion",
                    "kind",
                    "metadata",
                    "namespace",
                    "namePrefix",
                    "nameSuffix",
                    "labels",
                    "commonAnnotations",
                    "resources",
                    "components",
                    "patches",
                    "images",
                    "replicas",
                    "configMapGenerator",
                    "secretGenerator",
                    "generatorOptions",
                    "buildMetadata",
                    "sortOptions");
    private static final Set<String> BUILT = Set.of("apiVersion", "kind", "metadata");
    private static final Set<String> BUILT_TRANSFORMERS =
            Set.of("namespace", "labels", "resources", "patches");
    private static final Set<String> PATCH_FIELDS = Set.of("path", "patch", "target", "options");
    private static final Set<String> TARGET_FIELDS =
            Set.of(
                    "group",
                    "version",
                    "kind",
                    "name",
                    "namespace",
                    "labelSelector",
                    "annotationSelector");
    private static final Set<String> LABEL_FIELDS =
            Set.of("pairs", "includeSelectors", "includeTemplates", "fields");
    private static final Set<String> CLUSTER_SCOPED =
            Set.of(
                    "Namespace",
                    "ClusterRole",
                    "ClusterRoleBinding",
                    "CustomResourceDefinition",
                    "PersistentVolume",
                    "StorageClass",
                    "PriorityClass");

    /** The rendered resources of a directory, and what kept the build from being faithful. */
    record Build(List<ObjectNode> resources, List<String> problems) {}

    private Kustomize() {}

    /** The kustomization file of a directory. */
    static Path fileIn(Path directory) {
        return directory.resolve(FILE);
    }

    /**
     * Problems of one kustomization file on its own: unknown or deprecated fields, malformed
     * entries, and references to files or directories that do not exist.
     */
    static List<String> lint(Path file) {
        List<String> problems = new ArrayList<>();
        JsonNode kustomization = Yaml.documents(file).get(0);
        Path directory = file.getParent();
        if (!"kustomize.config.k8s.io/v1beta1".equals(kustomization.path("apiVersion").asText())
                || !"Kustomization".equals(kustomization.path("kind").asText())) {
            problems.add("apiVersion/kind: must be kustomize.config.k8s.io/v1beta1 Kustomization");
        }
        kustomization
                .fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!TOP_LEVEL.contains(name)) {
                                problems.add(name + ": not a (current) kustomization field");
                            }
                        });
        for (JsonNode resource : list(kustomization, "resources", problems)) {
            Path target = directory.resolve(resource.asText()).normalize();
            if (Files.isDirectory(target)) {
                if (!Files.isRegularFile(fileIn(target))) {
                    problems.add("resources: " + resource.asText() + " has no " + FILE);
                }
            } else if (!Files.isRegularFile(target)) {
                problems.add("resources: " + resource.asText() + " does not exist");
            }
        }
        for (JsonNode component : list(kustomization, "components", problems)) {
            if (!Files.isRegularFile(fileIn(directory.resolve(component.asText())))) {
                problems.add("components: " + component.asText() + " has no " + FILE);
            }
        }
        List<JsonNode> patches = list(kustomization, "patches", problems);
        for (int i = 0; i < patches.size(); i++) {
            lintPatch(directory, patches.get(i), "patches[" + i + "]", problems);
        }
        List<JsonNode> labels = list(kustomization, "labels", problems);
        for (int i = 0; i < labels.size(); i++) {
            String where = "labels[" + i + "]";
            labels.get(i)
                    .fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (!LABEL_FIELDS.contains(name)) {
                                    problems.add(where + "." + name + ": unknown field");
                                }
                            });
            if (!labels.get(i).path("pairs").isObject()) {
                problems.add(where + ".pairs: missing");
            }
        }
        return problems;
    }

    private static void lintPatch(
            Path directory, JsonNode patch, String where, List<String> problems) {
        patch.fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!PATCH_FIELDS.contains(name)) {
                                problems.add(where + "." + name + ": unknown field");
                            }
                        });
        if (patch.has("path") == patch.has("patch")) {
            problems.add(where + ": needs exactly one of 'path' and 'patch'");
        }
        if (patch.has("path")
                && !Files.isRegularFile(directory.resolve(patch.path("path").asText()))) {
            problems.add(where + ".path: " + patch.path("path").asText() + " does not exist");
        }
        JsonNode target = patch.path("target");
        if (!target.isMissingNode()) {
            target.fieldNames()
                    .forEachRemaining(
                            name -> {
                                if (!TARGET_FIELDS.contains(name)) {
                                    problems.add(where + ".target." + name + ": unknown field");
                                }
                            });
        }
    }

    /**
     * Every file a kustomization directory uses: its own file, its resource files and its patch
     * files, without following resource directories (they are kustomizations of their own).
     */
    static Set<Path> referencedFiles(Path directory) {
        Set<Path> files = new LinkedHashSet<>();
        files.add(fileIn(directory).normalize());
        JsonNode kustomization = Yaml.documents(fileIn(directory)).get(0);
        for (JsonNode resource : kustomization.path("resources")) {
            Path target = directory.resolve(resource.asText()).normalize();
            if (!Files.isDirectory(target)) {
                files.add(target);
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            if (patch.has("path")) {
                files.add(directory.resolve(patch.path("path").asText()).normalize());
            }
        }
        return files;
    }

    /** Patch files (not resources) referenced by a kustomization directory. */
    static Set<Path> patchFiles(Path directory) {
        Set<Path> files = new LinkedHashSet<>();
        for (JsonNode patch : Yaml.documents(fileIn(directory)).get(0).path("patches")) {
            if (patch.has("path")) {
                files.add(directory.resolve(patch.path("path").asText()).normalize());
            }
        }
        return files;
    }

    /** Renders a kustomization directory, as {@code kustomize build} would. */
    static Build build(Path directory) {
        List<String> problems = new ArrayList<>();
        List<ObjectNode> resources = build(directory.normalize(), problems);
        Map<String, Integer> seen = new HashMap<>();
        for (ObjectNode resource : resources) {
            if (seen.merge(id(resource), 1, Integer::sum) == 2) {
                problems.add(directory + ": " + id(resource) + " is declared twice");
            }
        }
        return new Build(resources, problems);
    }

    private static List<ObjectNode> build(Path directory, List<String> problems) {
        Path file = fileIn(directory);
        String where = file.toString();
        if (!Files.isRegularFile(file)) {
            problems.add(where + ": missing");
            return List.of();
        }
        List<String> lint = lint(file);
        lint.forEach(problem -> problems.add(where + ": " + problem));
        if (!lint.isEmpty()) {
            return List.of();
        }
        JsonNode kustomization = Yaml.documents(file).get(0);
        kustomization
                .fieldNames()
                .forEachRemaining(
                        name -> {
                            if (!BUILT.contains(name) && !BUILT_TRANSFORMERS.contains(name)) {
                                problems.add(
                                        where
                                                + ": "
                                                + name
                                                + " is valid kustomize but not modelled by"
                                                + " Kustomize.java; extend it before using it");
                            }
                        });

        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path target = directory.resolve(entry.asText()).normalize();
            if (Files.isDirectory(target)) {
                resources.addAll(build(target, problems));
            } else {
                for (JsonNode document : Yaml.documents(target)) {
                    if (document.isObject()) {
                        resources.add(((ObjectNode) document).deepCopy());
                    } else {
                        problems.add(target + ": a resource document must be a mapping");
                    }
                }
            }
        }
        for (JsonNode patch : kustomization.path("patches")) {
            applyPatch(directory, patch, resources, problems);
        }
        if (kustomization.hasNonNull("namespace")) {
            String namespace = kustomization.path("namespace").asText();
            for (ObjectNode resource : resources) {
                if (!CLUSTER_SCOPED.contains(resource.path("kind").asText())) {
                    metadata(resource).put("namespace", namespace);
                }
            }
        }
        for (JsonNode labels : kustomization.path("labels")) {
            if (labels.path("includeSelectors").asBoolean(false)
                    || labels.path("includeTemplates").asBoolean(false)
                    || labels.has("fields")) {
                problems.add(where + ": labels beyond metadata.labels are not modelled");
            }
            for (ObjectNode resource : resources) {
                ObjectNode target = metadata(resource).withObjectProperty("labels");
                labels.path("pairs")
                        .properties()
                        .forEach(e -> target.set(e.getKey(), e.getValue()));
            }
        }
        return resources;
    }

    private static void applyPatch(
            Path directory, JsonNode entry, List<ObjectNode> resources, List<String> problems) {
        String where =
                directory
                        + ": patch "
                        + (entry.has("path") ? entry.path("path").asText() : "(inline)");
        List<JsonNode> documents =
                entry.has("path")
                        ? Yaml.documents(directory.resolve(entry.path("path").asText()))
                        : Yaml.documents(entry.path("patch").asText());
        if (documents.size() != 1) {
            problems.add(where + ": must hold exactly one YAML document");
            return;
        }
        JsonNode body = documents.get(0);
        JsonNode target = entry.path("target");
        if (target.isMissingNode() && !body.isObject()) {
            problems.add(where + ": a JSON 6902 patch needs a target");
            return;
        }
        List<ObjectNode> matches = new ArrayList<>();
        for (ObjectNode resource : resources) {
            if (target.isMissingNode()
                    ? sameResource(body, resource)
                    : matches(target, resource, where, problems)) {
                matches.add(resource);
            }
        }
        if (matches.isEmpty()) {
            problems.add(where + ": matches no resource (kustomize would silently skip it)");
        }
        for (ObjectNode resource : matches) {
            try {
                if (body.isArray()) {
                    JsonPatch.apply(resource, body);
                } else if (body.isObject()) {
                    ObjectNode merge = ((ObjectNode) body).deepCopy();
                    merge.remove(List.of("apiVersion", "kind"));
                    if (merge.path("metadata").isObject()) {
                        ((ObjectNode) merge.get("metadata")).remove(List.of("name", "namespace"));
                    }
                    strategicMerge(resource, merge);
                } else {
                    problems.add(where + ": must be a list of operations or a mapping");
                    return;
                }
            } catch (IllegalArgumentException e) {
                problems.add(where + " on " + id(resource) + ": " + e.getMessage());
            }
        }
    }

    /** Kustomize treats every target field as an anchored regular expression. */
    private static boolean matches(
            JsonNode target, ObjectNode resource, String where, List<String> problems) {
        String apiVersion = resource.path("apiVersion").asText();
        int slash = apiVersion.indexOf('/');
        Map<String, String> actual = new LinkedHashMap<>();
        actual.put("group", slash < 0 ? "" : apiVersion.substring(0, slash));
        actual.put("version", apiVersion.substring(slash + 1));
        actual.put("kind", resource.path("kind").asText());
        actual.put("name", resource.path("metadata").path("name").asText());
        actual.put("namespace", resource.path("metadata").path("namespace").asText());
        for (Map.Entry<String, String> field : actual.entrySet()) {
            JsonNode wanted = target.get(field.getKey());
            if (wanted != null && !Pattern.matches(wanted.asText(), field.getValue())) {
                return false;
            }
        }
        if (target.has("labelSelector") || target.has("annotationSelector")) {
            problems.add(where + ": label and annotation selectors are not modelled");
            return false;
        }
        return true;
    }

    private static boolean sameResource(JsonNode patch, ObjectNode resource) {
        return patch.path("apiVersion").equals(resource.path("apiVersion"))
                && patch.path("kind").equals(resource.path("kind"))
                && patch.path("metadata")
                        .path("name")
                        .equals(resource.path("metadata").path("name"));
    }

    /**
     * Strategic merge as kustomize does it for these manifests: mappings merge key by key, a null
     * deletes a key, lists of mappings that all have a {@code name} merge by name, other lists are
     * replaced.
     */
    private static void strategicMerge(ObjectNode target, ObjectNode patch) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            JsonNode existing = target.get(key);
            if (key.startsWith("$")) {
                throw new IllegalArgumentException(key + " directives are not modelled");
            } else if (value.isNull()) {
                target.remove(key);
            } else if (value.isObject() && existing != null && existing.isObject()) {
                strategicMerge((ObjectNode) existing, (ObjectNode) value);
            } else if (value.isArray()
                    && existing != null
                    && existing.isArray()
                    && allNamed(value)
                    && allNamed(existing)) {
                for (JsonNode item : value) {
                    ObjectNode same = null;
                    for (JsonNode candidate : existing) {
                        if (candidate.path("name").equals(item.path("name"))) {
                            same = (ObjectNode) candidate;
                        }
                    }
                    if (same == null) {
                        ((ArrayNode) existing).add(item.deepCopy());
                    } else {
                        strategicMerge(same, (ObjectNode) item);
                    }
                }
            } else {
                target.set(key, value.deepCopy());
            }
        }
    }

    private static boolean allNamed(JsonNode list) {
        for (JsonNode item : list) {
            if (!item.isObject() || !item.has("name")) {
                return false;
            }
        }
        return true;
    }

    private static List<JsonNode> list(
            JsonNode kustomization, String field, List<String> problems) {
        JsonNode value = kustomization.path(field);
        List<JsonNode> items = new ArrayList<>();
        if (value.isMissingNode()) {
            return items;
        }
        if (!value.isArray()) {
            problems.add(field + ": must be a list");
            return items;
        }
        value.forEach(items::add);
        return items;
    }

    private static ObjectNode metadata(ObjectNode resource) {
        return resource.withObjectProperty("metadata");
    }

    /** {@code apiVersion/kind namespace/name}: the identity kustomize and kubectl use. */
    static String id(JsonNode resource) {
        JsonNode metadata = resource.path("metadata");
        return resource.path("apiVersion").asText()
                + "/"
                + resource.path("kind").asText()
                + " "
                + (metadata.has("namespace") ? metadata.path("namespace").asText() + "/" : "")
                + metadata.path("name").asText();
    }
}
