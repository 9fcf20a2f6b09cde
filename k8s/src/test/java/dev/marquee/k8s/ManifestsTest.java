package dev.marquee.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.JobSpec;
import org.apache.flink.kubernetes.operator.api.spec.UpgradeMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Guards the Kubernetes manifests under {@code k8s/base} and {@code k8s/overlays}, which no build
 * machine can apply: there is no cluster here, so every mistake that {@code kubectl apply} or an
 * operator would only report at deployment time has to be caught by reading the files.
 *
 * <ul>
 *   <li>Every YAML file is a kustomization, a patch, or a manifest that binds to the operator's or
 *       Strimzi's own API model with no unknown, misspelt or deprecated field ({@link
 *       ApiModelChecker}); no file lies around unreferenced.
 *   <li>Every kustomization is well formed, references only existing files, and builds; every patch
 *       applies to something; the built manifests are valid again and consistent with each other
 *       (topic replicas fit the brokers, jobs point at the real Kafka and registry services).
 *   <li>The deployment policy holds: savepoint upgrades with stable uids, state on S3, and exactly
 *       the expected topics with their retention.
 *   <li>The checker itself rejects a misspelt field, including in the many model classes that would
 *       accept it on their own (an {@code additionalProperties} map, or unknown fields ignored).
 * </ul>
 */
class ManifestsTest {

    /** Surefire runs tests in the module directory and also passes it as {@code basedir}. */
    private static final Path K8S =
            Path.of(System.getProperty("basedir", "")).toAbsolutePath().normalize();

    private static final Path BASE = K8S.resolve("base");
    private static final Path OVERLAYS = K8S.resolve("overlays");
    private static final ApiModelChecker CHECKER = new ApiModelChecker();

    /** Topics whose consumers only need the latest value per key. */
    private static final Set<String> COMPACTED =
            Set.of(
                    "metadata.overrides",
                    "catalog.titles",
                    "catalog.availability",
                    "demand.forecasts");

    /** Topics with time-based retention. */
    private static final Set<String> DELETED =
            Set.of(
                    "metadata.feed.raw",
                    "metadata.review",
                    "rights.events",
                    "rights.transitions",
                    "rights.open",
                    "rights.audit",
                    "playback.telemetry",
                    "encode.tasks",
                    "encode.results",
                    "cdn.prewarm",
                    "cdn.rollout",
                    "slo.metrics",
                    "slo.alerts",
                    "compliance.violations",
                    "rights.intake.counts");

    /** Input topics of the jobs; each has a {@code <topic>.dlq} dead-letter topic. */
    private static final Set<String> WITH_DEAD_LETTERS =
            Set.of(
                    "metadata.feed.raw",
                    "metadata.overrides",
                    "rights.events",
                    "playback.telemetry",
                    "encode.results",
                    "demand.forecasts");

    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    // ---------------------------------------------------------------- every file

    @Test
    void everyYamlFileIsAKustomizationAPatchOrAManifestMatchingItsApiModel() throws IOException {
        Set<Path> referenced = new HashSet<>();
        Set<Path> patches = new HashSet<>();
        for (Path directory : kustomizationDirectories()) {
            referenced.addAll(Kustomize.referencedFiles(directory));
            patches.addAll(Kustomize.patchFiles(directory));
        }
        Map<String, List<String>> problems = new TreeMap<>();
        List<Path> files = yamlFiles();
        for (Path file : files) {
            List<String> found = new ArrayList<>();
            if (!file.getFileName().toString().endsWith(".yaml")) {
                found.add("name YAML files *.yaml, as kustomize and this test expect");
            } else if (!referenced.contains(file)) {
                found.add("not referenced by any kustomization.yaml");
            } else if (file.getFileName().toString().equals(Kustomize.FILE)) {
                found.addAll(Kustomize.lint(file));
            } else if (patches.contains(file)) {
                found.addAll(checkPatchFile(file));
            } else {
                found.addAll(checkManifestFile(file));
            }
            if (!found.isEmpty()) {
                problems.put(K8S.relativize(file).toString(), found);
            }
        }
        assertTrue(files.size() > 30, "expected the manifests under " + K8S + ", found " + files);
        assertTrue(problems.isEmpty(), () -> report(problems));
    }

    private static List<String> checkManifestFile(Path file) {
        List<String> problems = new ArrayList<>();
        List<JsonNode> documents = Yaml.documents(file);
        if (documents.size() != 1) {
            problems.add("holds " + documents.size() + " documents; keep one resource per file");
        }
        for (JsonNode manifest : documents) {
            problems.addAll(CHECKER.check(manifest));
            JsonNode metadata = manifest.path("metadata");
            if (metadata.path("name").asText("").isEmpty()) {
                problems.add("metadata.name: missing");
            }
            if (metadata.has("namespace")) {
                problems.add("metadata.namespace: leave it to the kustomization's namespace");
            }
        }
        return problems;
    }

    /** A patch is either a JSON 6902 operation list or a (partial) manifest of a known kind. */
    private static List<String> checkPatchFile(Path file) {
        List<JsonNode> documents = Yaml.documents(file);
        if (documents.size() != 1) {
            return List.of("a patch file holds exactly one document");
        }
        JsonNode patch = documents.get(0);
        if (patch.isArray()) {
            List<String> problems = new ArrayList<>();
            for (JsonNode operation : patch) {
                if (!operation.path("path").asText("").startsWith("/")) {
                    problems.add("operation " + operation + ": path must start with '/'");
                }
            }
            return problems; // whether they apply is checked on the build
        }
        return CHECKER.check(patch);
    }

    @Test
    void everyKustomizationIsWellFormed() {
        Map<String, List<String>> problems = new TreeMap<>();
        for (Path directory : kustomizationDirectories()) {
            List<String> found = Kustomize.lint(Kustomize.fileIn(directory));
            if (!found.isEmpty()) {
                problems.put(K8S.relativize(directory).toString(), found);
            }
        }
        assertTrue(problems.isEmpty(), () -> report(problems));
    }

    // ---------------------------------------------------------------- builds

    @ParameterizedTest(name = "{0}")
    @MethodSource("buildRoots")
    void buildsIntoValidAndConsistentManifests(Path root) {
        Kustomize.Build build = Kustomize.build(root);
        assertTrue(build.problems().isEmpty(), () -> String.join("\n", build.problems()));
        Map<String, List<String>> problems = new TreeMap<>();
        for (ObjectNode resource : build.resources()) {
            List<String> found = CHECKER.check(resource);
            if (!resource.path("metadata").has("namespace")
                    && !"Namespace".equals(resource.path("kind").asText())) {
                found.add("metadata.namespace: not set by the build");
            }
            if (!found.isEmpty()) {
                problems.put(Kustomize.id(resource), found);
            }
        }
        List<String> inconsistencies = Consistency.problems(build.resources());
        if (!inconsistencies.isEmpty()) {
            problems.put("(cross-resource)", inconsistencies);
        }
        assertTrue(problems.isEmpty(), () -> report(problems));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("buildRoots")
    void flinkDeploymentsUpgradeThroughSavepointsWithStateOnS3(Path root) {
        List<ObjectNode> jobs = ofKind(Kustomize.build(root).resources(), "FlinkDeployment");
        assertTrue(!jobs.isEmpty(), "no FlinkDeployment in " + root);
        for (ObjectNode manifest : jobs) {
            FlinkDeployment job = CHECKER.bind(manifest, FlinkDeployment.class);
            String name = job.getMetadata().getName();
            JobSpec spec = job.getSpec().getJob();
            Map<String, String> conf = job.getSpec().getFlinkConfiguration();
            assertEquals(UpgradeMode.SAVEPOINT, spec.getUpgradeMode(), name + " upgradeMode");
            assertEquals("local:///opt/flink/usrlib/marquee-jobs.jar", spec.getJarURI(), name);
            assertTrue(job.getSpec().getImage().startsWith("marquee/jobs:"), name + " image");
            assertEquals("flink", job.getSpec().getServiceAccount(), name + " serviceAccount");
            for (String dir :
                    List.of(
                            setting(conf, "execution.checkpointing.dir", "state.checkpoints.dir"),
                            setting(
                                    conf,
                                    "execution.checkpointing.savepoint-dir",
                                    "state.savepoints.dir"),
                            setting(conf, "high-availability.storageDir"))) {
                assertTrue(dir.startsWith("s3://marquee-flink/"), name + ": " + dir);
                assertTrue(dir.endsWith("/" + name), name + " keeps its state apart: " + dir);
            }
            assertEquals("kubernetes", setting(conf, "high-availability.type"), name);
            assertTrue(!setting(conf, "execution.checkpointing.interval").isBlank(), name);
            assertTrue(!setting(conf, "restart-strategy.type").isBlank(), name);
            assertEquals("false", setting(conf, "pipeline.auto-generate-uids"), name);
            assertEquals("false", setting(conf, "pipeline.generic-types"), name);
        }
    }

    /** The first of several equivalent keys (Flink 2 name first, deprecated name after). */
    private static String setting(Map<String, String> conf, String... keys) {
        for (String key : keys) {
            if (conf.get(key) != null) {
                return conf.get(key);
            }
        }
        throw new AssertionError("flinkConfiguration lacks " + List.of(keys));
    }

    // ---------------------------------------------------------------- topics

    @Test
    void baseDeclaresExactlyTheExpectedTopics() {
        Set<String> expected = new TreeSet<>(COMPACTED);
        expected.addAll(DELETED);
        WITH_DEAD_LETTERS.forEach(topic -> expected.add(topic + ".dlq"));

        Map<String, KafkaTopic> topics = new TreeMap<>();
        for (Path file : yamlFiles(BASE.resolve("topics"))) {
            KafkaTopic topic = CHECKER.bind(Yaml.documents(file).get(0), KafkaTopic.class);
            String name = topic.getSpec().getTopicName();
            assertEquals(name + ".yaml", file.getFileName().toString(), "file named after topic");
            assertEquals(name.replace('.', '-'), topic.getMetadata().getName(), name);
            assertEquals("marquee", topic.getMetadata().getLabels().get("strimzi.io/cluster"));
            assertTrue(topics.put(name, topic) == null, name + " declared twice");
        }
        Set<String> declared = new TreeSet<>();
        for (ObjectNode resource : ofKind(Kustomize.build(BASE).resources(), "KafkaTopic")) {
            declared.add(resource.path("spec").path("topicName").asText());
        }
        assertEquals(expected, declared, "KafkaTopic spec.topicName values built from base");
        assertEquals(expected, topics.keySet(), "files under base/topics");

        for (KafkaTopic topic : topics.values()) {
            String name = topic.getSpec().getTopicName();
            Map<String, Object> config = topic.getSpec().getConfig();
            assertEquals(
                    name.equals("playback.telemetry") ? 12 : 6,
                    topic.getSpec().getPartitions(),
                    name);
            assertEquals(3, topic.getSpec().getReplicas(), name);
            if (COMPACTED.contains(name)) {
                assertEquals("compact", config.get("cleanup.policy"), name);
            } else {
                assertEquals("delete", config.get("cleanup.policy"), name);
                long retention = ((Number) config.get("retention.ms")).longValue();
                if (name.equals("rights.audit")) {
                    assertEquals(-1L, retention, "the legal audit log is never deleted");
                } else if (name.endsWith(".dlq")) {
                    assertEquals(30 * DAY_MS, retention, name);
                } else {
                    assertTrue(retention >= DAY_MS && retention <= 90 * DAY_MS, name);
                }
            }
        }
    }

    // ---------------------------------------------------------------- overlays

    @Test
    void devRunsOnOneBrokerWithSingleReplicaTopics() {
        List<ObjectNode> dev = Kustomize.build(OVERLAYS.resolve("dev")).resources();
        for (ObjectNode pool : ofKind(dev, "KafkaNodePool")) {
            assertEquals(1, pool.path("spec").path("replicas").asInt(), Kustomize.id(pool));
        }
        for (ObjectNode topic : ofKind(dev, "KafkaTopic")) {
            assertEquals(1, topic.path("spec").path("replicas").asInt(), Kustomize.id(topic));
        }
        JsonNode config = ofKind(dev, "Kafka").get(0).path("spec").path("kafka").path("config");
        assertEquals(1, config.path("min.insync.replicas").asInt());
    }

    @Test
    void prodRunsStandbyJobManagersAndMoreSlots() {
        List<ObjectNode> base = Kustomize.build(BASE).resources();
        List<ObjectNode> prod = Kustomize.build(OVERLAYS.resolve("prod")).resources();
        for (ObjectNode job : ofKind(prod, "FlinkDeployment")) {
            JsonNode spec = job.path("spec");
            assertTrue(spec.path("jobManager").path("replicas").asInt() >= 2, Kustomize.id(job));
            String slots = "taskmanager.numberOfTaskSlots";
            ObjectNode same = named(ofKind(base, "FlinkDeployment"), job);
            assertTrue(
                    spec.path("flinkConfiguration").path(slots).asInt()
                            > same.path("spec").path("flinkConfiguration").path(slots).asInt(),
                    Kustomize.id(job) + " has more task slots than base");
        }
        for (ObjectNode pool : ofKind(prod, "KafkaNodePool")) {
            assertEquals(3, pool.path("spec").path("replicas").asInt(), Kustomize.id(pool));
        }
        assertTrue(
                ofKind(prod, "Kafka").get(0).path("spec").path("kafka").has("rack"),
                "brokers are spread over zones");
        assertTrue(ofKind(prod, "Deployment").get(0).path("spec").path("replicas").asInt() >= 2);
        assertEquals(1, ofKind(prod, "PodDisruptionBudget").size());
    }

    /**
     * {@link Kustomize} models only part of kustomize; where a real kustomize (or kubectl) is on
     * the PATH, its output must be identical, so the model cannot drift from the tool.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("buildRoots")
    @Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void realKustomizeRendersTheSameResources(Path root) throws Exception {
        Optional<List<String>> command = kustomizeCommand();
        assumeTrue(command.isPresent(), "neither kustomize nor kubectl is on the PATH");
        List<String> arguments = new ArrayList<>(command.get());
        arguments.add(root.toString());
        Path errors = Files.createTempFile("kustomize", ".err");
        try {
            Process process =
                    new ProcessBuilder(arguments)
                            .redirectError(errors.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start();
            String output =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "kustomize did not finish");
            assertEquals(0, process.exitValue(), () -> readQuietly(errors));
            Map<String, JsonNode> expected = byId(Yaml.documents(output));
            Map<String, JsonNode> actual = byId(Kustomize.build(root).resources());
            assertEquals(expected.keySet(), actual.keySet());
            expected.forEach((id, resource) -> assertEquals(resource, actual.get(id), id));
        } finally {
            Files.deleteIfExists(errors);
        }
    }

    // ---------------------------------------------------------------- the checker itself

    /**
     * Corruptions the checker must catch. Each case is a valid manifest that must pass and a
     * one-word corruption of it that must be reported at the given path; the valid half keeps a
     * checker that rejects everything from passing.
     */
    static Stream<Arguments> corruptions() {
        return Stream.of(
                Arguments.of(
                        "misspelt Flink field",
                        FLINK,
                        "upgradeMode:",
                        "upgradeMod:",
                        "spec.job.upgradeMod"),
                Arguments.of(
                        "unknown enum value",
                        FLINK,
                        "savepoint",
                        "savepont",
                        "spec.job.upgradeMode"),
                Arguments.of(
                        "misspelt Strimzi field",
                        TOPIC,
                        "partitions:",
                        "partitons:",
                        "spec.partitons"),
                Arguments.of(
                        "misspelt metadata field", TOPIC, "labels:", "lables:", "metadata.lables"),
                Arguments.of(
                        "misspelt field of a polymorphic type",
                        POOL,
                        "kraftMetadata:",
                        "kraftMetdata:",
                        "spec.storage.volumes[0].kraftMetdata"),
                Arguments.of(
                        "unknown polymorphic type",
                        POOL,
                        "persistent-claim",
                        "persistent-clam",
                        "spec.storage.volumes[0].type"),
                Arguments.of(
                        "field removed from Strimzi v1",
                        KAFKA,
                        "version: 4.2.0",
                        "version: 4.2.0\n    replicas: 3",
                        "spec.kafka.replicas"),
                Arguments.of(
                        "misspelt core field",
                        DEPLOYMENT,
                        "imagePullPolicy:",
                        "imagePullPolcy:",
                        "spec.template.spec.containers[0].imagePullPolcy"),
                Arguments.of(
                        "number where Kubernetes wants a string",
                        DEPLOYMENT,
                        "\"8080\"",
                        "8080",
                        "spec.template.spec.containers[0].env[0].value"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corruptions")
    void reportsACorruptedManifestAtItsPath(
            String description, String valid, String from, String to, String path) {
        assertEquals(List.of(), CHECKER.check(Yaml.document(valid)), "valid manifest");
        String corrupted = valid.replace(from, to);
        assertTrue(!corrupted.equals(valid), "the corruption must change the manifest");
        List<String> problems = CHECKER.check(Yaml.document(corrupted));
        assertTrue(
                problems.stream().anyMatch(problem -> problem.startsWith(path + ":")),
                () -> "expected a problem at " + path + ", got " + problems);
    }

    /**
     * Why the checker walks the tree: binding with FAIL_ON_UNKNOWN_PROPERTIES alone accepts both
     * typos. Strimzi's model keeps unknown fields in its additionalProperties map, and the Flink
     * operator's spec classes are {@code @JsonIgnoreProperties(ignoreUnknown = true)}, so a
     * misspelt {@code upgradeMod: savepoint} silently leaves the default, stateless upgrades.
     */
    @Test
    void bindingAloneAcceptsMisspeltFields() {
        JsonNode topicTypo = Yaml.document(TOPIC.replace("partitions:", "partitons:"));
        KafkaTopic topic = CHECKER.bind(topicTypo, KafkaTopic.class);
        assertTrue(topic.getSpec().getAdditionalProperties().containsKey("partitons"));

        JsonNode jobTypo = Yaml.document(FLINK.replace("upgradeMode:", "upgradeMod:"));
        FlinkDeployment job = CHECKER.bind(jobTypo, FlinkDeployment.class);
        assertEquals(UpgradeMode.STATELESS, job.getSpec().getJob().getUpgradeMode());
    }

    @Test
    void reportsAManifestOfAnUnregisteredKind() {
        List<String> problems =
                CHECKER.check(Yaml.document("apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n"));
        assertTrue(problems.get(0).startsWith("apiVersion/kind:"), problems.toString());
    }

    @Test
    void reportsDeprecatedAndDanglingKustomizeEntries(@TempDir Path directory) throws IOException {
        Files.writeString(
                Kustomize.fileIn(directory),
                """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - missing.yaml
                patchesStrategicMerge:
                  - also-missing.yaml
                patches:
                  - path: gone.yaml
                    target: {kind: KafkaTopic, nmae: x}
                """);
        String problems = String.join("\n", Kustomize.lint(Kustomize.fileIn(directory)));
        for (String expected :
                List.of(
                        "resources: missing.yaml does not exist",
                        "patchesStrategicMerge: not a (current) kustomization field",
                        "patches[0].path: gone.yaml does not exist",
                        "patches[0].target.nmae: unknown field")) {
            assertTrue(problems.contains(expected), expected + " in\n" + problems);
        }
    }

    @Test
    void reportsPatchesThatNoLongerApply(@TempDir Path directory) throws IOException {
        Files.writeString(directory.resolve("topic.yaml"), TOPIC);
        Files.writeString(
                Kustomize.fileIn(directory),
                """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - topic.yaml
                patches:
                  - target: {kind: KafkaTopic}
                    patch: '[{op: replace, path: /spec/replica, value: 1}]'
                  - target: {kind: Kafka}
                    patch: '[{op: replace, path: /spec/replicas, value: 1}]'
                """);
        String problems = String.join("\n", Kustomize.build(directory).problems());
        assertTrue(problems.contains("path /spec/replica does not exist"), problems);
        assertTrue(problems.contains("matches no resource"), problems);
    }

    private static final String FLINK =
            """
            apiVersion: flink.apache.org/v1beta1
            kind: FlinkDeployment
            metadata:
              name: example
            spec:
              image: marquee/jobs:0.1.0
              flinkVersion: v1_20
              serviceAccount: flink
              flinkConfiguration:
                pipeline.auto-generate-uids: "false"
              jobManager:
                resource: {memory: 1024m, cpu: 1}
              taskManager:
                resource: {memory: 1024m, cpu: 1}
              job:
                jarURI: local:///opt/flink/usrlib/marquee-jobs.jar
                upgradeMode: savepoint
            """;

    private static final String TOPIC =
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata:
              name: example
              labels:
                strimzi.io/cluster: marquee
            spec:
              topicName: example
              partitions: 6
              replicas: 3
            """;

    private static final String POOL =
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaNodePool
            metadata:
              name: example
            spec:
              replicas: 3
              roles: [broker]
              storage:
                type: jbod
                volumes:
                  - id: 0
                    type: persistent-claim
                    size: 1Gi
                    kraftMetadata: shared
            """;

    private static final String KAFKA =
            """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: Kafka
            metadata:
              name: example
            spec:
              kafka:
                version: 4.2.0
                listeners:
                  - {name: plain, port: 9092, type: internal, tls: false}
            """;

    private static final String DEPLOYMENT =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: example
            spec:
              selector:
                matchLabels: {app: example}
              template:
                metadata:
                  labels: {app: example}
                spec:
                  containers:
                    - name: example
                      image: example:1
                      imagePullPolicy: IfNotPresent
                      env:
                        - name: PORT
                          value: "8080"
            """;

    // ---------------------------------------------------------------- helpers

    /** {@code k8s/base} and every {@code k8s/overlays/<environment>}. */
    static Stream<Path> buildRoots() throws IOException {
        try (Stream<Path> overlays = Files.list(OVERLAYS)) {
            List<Path> roots = new ArrayList<>(List.of(BASE));
            overlays.filter(Files::isDirectory).sorted().forEach(roots::add);
            return roots.stream();
        }
    }

    private static List<Path> kustomizationDirectories() {
        return yamlFiles().stream()
                .filter(file -> file.getFileName().toString().equals(Kustomize.FILE))
                .map(Path::getParent)
                .toList();
    }

    private static List<Path> yamlFiles() {
        List<Path> files = new ArrayList<>(yamlFiles(BASE));
        files.addAll(yamlFiles(OVERLAYS));
        return files;
    }

    private static List<Path> yamlFiles(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(file -> file.getFileName().toString().matches(".*\\.ya?ml"))
                    .map(Path::normalize)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new AssertionError("cannot list " + root, e);
        }
    }

    static List<ObjectNode> ofKind(List<ObjectNode> resources, String kind) {
        return resources.stream()
                .filter(resource -> kind.equals(resource.path("kind").asText()))
                .toList();
    }

    private static ObjectNode named(List<ObjectNode> resources, JsonNode like) {
        JsonNode name = like.path("metadata").path("name");
        return resources.stream()
                .filter(resource -> resource.path("metadata").path("name").equals(name))
                .findFirst()
                .orElseThrow();
    }

    private static Map<String, JsonNode> byId(List<? extends JsonNode> resources) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        resources.forEach(resource -> byId.put(Kustomize.id(resource), resource));
        return byId;
    }

    private static Optional<List<String>> kustomizeCommand() {
        for (String directory :
                System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(directory, "kustomize"))) {
                return Optional.of(List.of(Path.of(directory, "kustomize").toString(), "build"));
            }
            if (Files.isExecutable(Path.of(directory, "kubectl"))) {
                return Optional.of(List.of(Path.of(directory, "kubectl").toString(), "kustomize"));
            }
        }
        return Optional.empty();
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String report(Map<String, List<String>> problems) {
        return problems.entrySet().stream()
                .map(entry -> entry.getKey() + ":\n  " + String.join("\n  ", entry.getValue()))
                .collect(Collectors.joining("\n"));
    }
}
