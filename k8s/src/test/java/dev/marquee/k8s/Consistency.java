package dev.marquee.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that span resources of one build, which no single API model can check: each resource is
 * valid on its own, yet the environment would still not work if, say, a topic asks for more
 * replicas than there are brokers (the topic operator refuses it) or a job's {@code
 * --bootstrap-servers} names a service that does not exist (the job crash-loops).
 */
final class Consistency {

    private Consistency() {}

    /** Every inconsistency among the resources of one build. */
    static List<String> problems(List<ObjectNode> resources) {
        List<String> problems = new ArrayList<>();
        Set<String> bootstrapServers = new HashSet<>();
        for (ObjectNode kafka : ManifestsTest.ofKind(resources, "Kafka")) {
            checkKafka(kafka, resources, problems, bootstrapServers);
        }
        Set<String> registryUrls = checkServices(resources, problems);
        checkFlinkDeployments(resources, bootstrapServers, registryUrls, problems);
        for (ObjectNode deployment : ManifestsTest.ofKind(resources, "Deployment")) {
            for (JsonNode container : containers(deployment)) {
                for (JsonNode env : container.path("env")) {
                    if (env.path("name").asText().equals("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS")
                            && !bootstrapServers.contains(env.path("value").asText())) {
                        problems.add(
                                Kustomize.id(deployment)
                                        + ": kafkasql bootstrap "
                                        + env.path("value").asText()
                                        + " is none of "
                                        + bootstrapServers);
                    }
                }
            }
        }
        return problems;
    }

    private static void checkKafka(
            ObjectNode kafka,
            List<ObjectNode> resources,
            List<String> problems,
            Set<String> bootstrapServers) {
        String cluster = kafka.path("metadata").path("name").asText();
        int brokers = 0;
        int controllers = 0;
        for (ObjectNode pool : ManifestsTest.ofKind(resources, "KafkaNodePool")) {
            if (!cluster.equals(label(pool, "strimzi.io/cluster"))) {
                continue;
            }
            int replicas = pool.path("spec").path("replicas").asInt();
            for (JsonNode role : pool.path("spec").path("roles")) {
                brokers += role.asText().equals("broker") ? replicas : 0;
                controllers += role.asText().equals("controller") ? replicas : 0;
            }
        }
        String where = Kustomize.id(kafka);
        if (brokers == 0 || controllers % 2 == 0) {
            problems.add(
                    where
                            + ": needs brokers and an odd number of KRaft controllers, has "
                            + brokers
                            + " and "
                            + controllers);
        }
        JsonNode config = kafka.path("spec").path("kafka").path("config");
        for (String factor :
                List.of(
                        "default.replication.factor",
                        "offsets.topic.replication.factor",
                        "transaction.state.log.replication.factor")) {
            if (config.path(factor).asInt(1) > brokers) {
                problems.add(where + ": " + factor + " exceeds the " + brokers + " brokers");
            }
        }
        int minInSync = config.path("min.insync.replicas").asInt(1);
        if (minInSync > config.path("default.replication.factor").asInt(1)) {
            problems.add(where + ": min.insync.replicas exceeds default.replication.factor");
        }
        if (config.path("transaction.state.log.min.isr").asInt(1)
                > config.path("transaction.state.log.replication.factor").asInt(1)) {
            problems.add(where + ": transaction.state.log.min.isr exceeds its replication");
        }
        for (ObjectNode topic : ManifestsTest.ofKind(resources, "KafkaTopic")) {
            if (!cluster.equals(label(topic, "strimzi.io/cluster"))) {
                continue;
            }
            int replicas = topic.path("spec").path("replicas").asInt();
            int topicMinInSync =
                    topic.path("spec").path("config").path("min.insync.replicas").asInt(minInSync);
            if (replicas > brokers || topicMinInSync > replicas) {
                problems.add(
                        Kustomize.id(topic)
                                + ": "
                                + replicas
                                + " replicas with min.insync.replicas "
                                + topicMinInSync
                                + " on "
                                + brokers
                                + " brokers");
            }
        }
        for (JsonNode listener : kafka.path("spec").path("kafka").path("listeners")) {
            if (listener.path("type").asText().equals("internal")
                    && !listener.path("tls").asBoolean()) {
                bootstrapServers.add(cluster + "-kafka-bootstrap:" + listener.path("port").asInt());
            }
        }
        for (ObjectNode topic : ManifestsTest.ofKind(resources, "KafkaTopic")) {
            String owner = label(topic, "strimzi.io/cluster");
            if (ManifestsTest.ofKind(resources, "Kafka").stream()
                    .noneMatch(k -> k.path("metadata").path("name").asText().equals(owner))) {
                problems.add(Kustomize.id(topic) + ": no Kafka named '" + owner + "'");
            }
        }
    }

    /**
     * Services must select the pods of a Deployment and name one of its ports; returns the base
     * URLs ({@code http://service:port}) they offer.
     */
    private static Set<String> checkServices(List<ObjectNode> resources, List<String> problems) {
        Set<String> urls = new HashSet<>();
        for (ObjectNode service : ManifestsTest.ofKind(resources, "Service")) {
            ObjectNode deployment = selected(resources, service.path("spec").path("selector"));
            if (deployment == null) {
                problems.add(Kustomize.id(service) + ": selects no Deployment's pods");
                continue;
            }
            for (JsonNode port : service.path("spec").path("ports")) {
                JsonNode target = port.path("targetPort");
                boolean found = false;
                for (JsonNode container : containers(deployment)) {
                    for (JsonNode containerPort : container.path("ports")) {
                        found |=
                                target.isTextual()
                                        ? containerPort.path("name").equals(target)
                                        : containerPort.path("containerPort").asInt()
                                                == target.asInt(port.path("port").asInt());
                    }
                }
                if (!found) {
                    problems.add(Kustomize.id(service) + ": targetPort " + target + " not found");
                }
                urls.add(
                        "http://"
                                + service.path("metadata").path("name").asText()
                                + ":"
                                + port.path("port").asInt());
            }
        }
        for (ObjectNode budget : ManifestsTest.ofKind(resources, "PodDisruptionBudget")) {
            ObjectNode deployment = selected(resources, budget.path("spec").path("selector"));
            if (deployment == null
                    || deployment.path("spec").path("replicas").asInt(1)
                            <= budget.path("spec").path("minAvailable").asInt()) {
                problems.add(Kustomize.id(budget) + ": would block every voluntary eviction");
            }
        }
        return urls;
    }

    private static void checkFlinkDeployments(
            List<ObjectNode> resources,
            Set<String> bootstrapServers,
            Set<String> registryUrls,
            List<String> problems) {
        for (ObjectNode job : ManifestsTest.ofKind(resources, "FlinkDeployment")) {
            String where = Kustomize.id(job);
            JsonNode spec = job.path("spec");
            String account = spec.path("serviceAccount").asText();
            boolean bound =
                    ManifestsTest.ofKind(resources, "RoleBinding").stream()
                            .anyMatch(
                                    binding -> {
                                        for (JsonNode subject : binding.path("subjects")) {
                                            if (subject.path("kind")
                                                            .asText()
                                                            .equals("ServiceAccount")
                                                    && subject.path("name")
                                                            .asText()
                                                            .equals(account)) {
                                                return true;
                                            }
                                        }
                                        return false;
                                    });
            boolean exists =
                    ManifestsTest.ofKind(resources, "ServiceAccount").stream()
                            .anyMatch(
                                    sa ->
                                            sa.path("metadata")
                                                    .path("name")
                                                    .asText()
                                                    .equals(account));
            if (!exists || !bound) {
                problems.add(where + ": service account '" + account + "' missing or unbound");
            }
            if (spec.path("jobManager").path("replicas").asInt(1) > 1
                    && !spec.path("flinkConfiguration").has("high-availability.type")) {
                problems.add(where + ": standby JobManagers need high-availability.type");
            }
            JsonNode args = spec.path("job").path("args");
            for (int i = 0; i + 1 < args.size(); i++) {
                String value = args.get(i + 1).asText();
                switch (args.get(i).asText()) {
                    case "--bootstrap-servers" -> {
                        if (!bootstrapServers.contains(value)) {
                            problems.add(where + ": --bootstrap-servers " + value + " unknown");
                        }
                    }
                    case "--registry-url" -> {
                        URI uri = URI.create(value);
                        String base = uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort();
                        if (!registryUrls.contains(base)) {
                            problems.add(where + ": --registry-url " + value + " is no Service");
                        }
                    }
                    default -> {}
                }
            }
        }
    }

    /** The Deployment whose pod template labels satisfy a selector, if any. */
    private static ObjectNode selected(List<ObjectNode> resources, JsonNode selector) {
        JsonNode labels = selector.has("matchLabels") ? selector.path("matchLabels") : selector;
        if (labels.isEmpty()) {
            return null;
        }
        for (ObjectNode deployment : ManifestsTest.ofKind(resources, "Deployment")) {
            JsonNode podLabels =
                    deployment.path("spec").path("template").path("metadata").path("labels");
            boolean all = true;
            for (Map.Entry<String, JsonNode> label : labels.properties()) {
                all &= podLabels.path(label.getKey()).equals(label.getValue());
            }
            if (all) {
                return deployment;
            }
        }
        return null;
    }

    private static JsonNode containers(ObjectNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers");
    }

    private static String label(JsonNode resource, String key) {
        return resource.path("metadata").path("labels").path(key).asText(null);
    }
}
