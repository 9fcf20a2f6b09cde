package dev.marquee.k8s;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.AnnotatedClass;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;

/**
 * Checks a Kubernetes manifest against the Java API model of its kind, so that a manifest the API
 * server or an operator would reject, or would silently misread, fails a unit test instead of a
 * deployment.
 *
 * <p>Two passes, because neither is enough alone:
 *
 * <ol>
 *   <li><b>Binding</b>: Jackson deserializes the document into the model class with unknown
 *       properties, numbers for enums and scalar coercions all failing. This catches wrong enum
 *       values ({@code upgradeMode: savepont}), wrong shapes (a list where an object belongs) and
 *       scalars of the wrong type ({@code value: 8080} where Kubernetes wants a string).
 *   <li><b>Tree walk</b>: binding alone reports no unknown field in any of these models. fabric8
 *       and Strimzi classes carry an {@code @JsonAnySetter} {@code additionalProperties} map that
 *       stores {@code partitons: 6} without a word, and the Flink operator's spec classes are
 *       {@code @JsonIgnoreProperties(ignoreUnknown = true)}, so {@code upgradeMod: savepoint} is
 *       dropped and the job keeps the default, stateless upgrades. The walk compares every key of
 *       the YAML tree with the JSON properties Jackson itself derives for the model class ({@link
 *       BeanDescription}), which never include the any-setter, and follows polymorphic fields
 *       (Strimzi's {@code type: jbod}) to the subtype Jackson would pick.
 * </ol>
 *
 * <p>The walk also rejects fields that the model marks {@link Deprecated}: in Strimzi 0.49+ those
 * are exactly the {@code v1beta2} fields the {@code v1} API removed, so the manifests stay
 * convertible.
 */
final class ApiModelChecker {

    /** {@code apiVersion/kind} of every kind the manifests may use, mapped to its model class. */
    private static final Map<String, Class<?>> MODELS =
            Map.ofEntries(
                    Map.entry("v1/Namespace", Namespace.class),
                    Map.entry("v1/ServiceAccount", ServiceAccount.class),
                    Map.entry("v1/Service", Service.class),
                    Map.entry("apps/v1/Deployment", Deployment.class),
                    Map.entry("rbac.authorization.k8s.io/v1/Role", Role.class),
                    Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", RoleBinding.class),
                    Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
                    Map.entry("flink.apache.org/v1beta1/FlinkDeployment", FlinkDeployment.class),
                    Map.entry("kafka.strimzi.io/v1beta2/Kafka", Kafka.class),
                    Map.entry("kafka.strimzi.io/v1beta2/KafkaNodePool", KafkaNodePool.class),
                    Map.entry("kafka.strimzi.io/v1beta2/KafkaTopic", KafkaTopic.class));

    private final ObjectMapper mapper = strictMapper();
    private final DeserializationConfig config = mapper.getDeserializationConfig();

    /**
     * A mapper as unforgiving as the API server: Kubernetes rejects {@code "2"} for an integer
     * field and {@code 2} for a string field, so Jackson must not coerce either way.
     */
    static ObjectMapper strictMapper() {
        ObjectMapper strict =
                JsonMapper.builder()
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                        .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                        .build();
        for (CoercionInputShape shape :
                List.of(
                        CoercionInputShape.Integer,
                        CoercionInputShape.Float,
                        CoercionInputShape.Boolean)) {
            strict.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return strict;
    }

    /** The model class for a manifest's {@code apiVersion} and {@code kind}, if it is known. */
    static Optional<Class<?>> modelOf(JsonNode manifest) {
        return Optional.ofNullable(
                MODELS.get(
                        manifest.path("apiVersion").asText("")
                                + "/"
                                + manifest.path("kind").asText("")));
    }

    /** Binds a manifest already known to be valid to its model class. */
    <T> T bind(JsonNode manifest, Class<T> model) {
        try {
            return mapper.treeToValue(manifest, model);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * Every problem found in one manifest, each as {@code path: what is wrong}; empty when the
     * manifest matches its model.
     */
    List<String> check(JsonNode manifest) {
        List<String> problems = new ArrayList<>();
        Optional<Class<?>> model = modelOf(manifest);
        if (model.isEmpty()) {
            problems.add(
                    "apiVersion/kind: no API model is registered for '"
                            + manifest.path("apiVersion").asText("")
                            + "' '"
                            + manifest.path("kind").asText("")
                            + "' (add it to ApiModelChecker.MODELS)");
            return problems;
        }
        if (manifest.has("status")) {
            problems.add("status: is written by the controller, a manifest must not set it");
        }
        try {
            mapper.treeToValue(manifest, model.get());
        } catch (JsonMappingException e) {
            problems.add(pathOf(e) + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (JsonProcessingException e) {
            problems.add(": " + e.getOriginalMessage());
        }
        walk(manifest, mapper.constructType(model.get()), "", problems);
        return problems;
    }

    private void walk(JsonNode node, JavaType type, String path, List<String> problems) {
        if (node == null || node.isNull()) {
            return;
        }
        if (type.isMapLikeType()) {
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> entry : node.properties()) {
                    walk(
                            entry.getValue(),
                            type.getContentType(),
                            path + "[" + entry.getKey() + "]",
                            problems);
                }
            }
            return;
        }
        if (type.isCollectionLikeType() || type.isArrayType()) {
            if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    walk(node.get(i), type.getContentType(), path + "[" + i + "]", problems);
                }
            }
            return;
        }
        // Scalars are the binding pass's business; only objects have fields to check.
        if (!node.isObject() || isOpaque(type)) {
            return;
        }
        AnnotatedClass annotated = config.introspectClassAnnotations(type).getClassInfo();
        JsonTypeInfo typeInfo = annotated.getAnnotation(JsonTypeInfo.class);
        String discriminator = null;
        JavaType concrete = type;
        if (typeInfo != null && typeInfo.use() != JsonTypeInfo.Id.NONE) {
            discriminator =
                    typeInfo.property().isEmpty()
                            ? typeInfo.use().getDefaultPropertyName()
                            : typeInfo.property();
            concrete = subtype(type, annotated, node, discriminator, path, problems);
            if (concrete == null) {
                return;
            }
        } else if (type.isAbstract()) {
            return; // an interface without type info: nothing to introspect
        }

        Map<String, BeanPropertyDefinition> properties = new TreeMap<>();
        for (BeanPropertyDefinition property : config.introspect(concrete).findProperties()) {
            properties.put(property.getName(), property);
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            String name = field.getKey();
            String fieldPath = path.isEmpty() ? name : path + "." + name;
            BeanPropertyDefinition property = properties.get(name);
            if (property == null) {
                if (!name.equals(discriminator)) {
                    problems.add(
                            fieldPath
                                    + ": unknown field of "
                                    + concrete.getRawClass().getSimpleName()
                                    + suggestion(name, properties.keySet()));
                }
                continue;
            }
            if (isDeprecated(property)) {
                problems.add(
                        fieldPath
                                + ": deprecated in "
                                + concrete.getRawClass().getSimpleName()
                                + " (Strimzi: removed from the v1 API)");
            }
            if (!hasCustomDeserializer(property)) {
                walk(field.getValue(), property.getPrimaryType(), fieldPath, problems);
            }
        }
    }

    /** The subtype a polymorphic field's discriminator selects, as Jackson would resolve it. */
    private JavaType subtype(
            JavaType base,
            AnnotatedClass annotated,
            JsonNode node,
            String discriminator,
            String path,
            List<String> problems) {
        String where = path.isEmpty() ? discriminator : path + "." + discriminator;
        JsonNode id = node.get(discriminator);
        if (id == null || !id.isTextual()) {
            problems.add(
                    where
                            + ": missing; it selects the kind of "
                            + base.getRawClass().getSimpleName());
            return null;
        }
        Collection<NamedType> subtypes =
                config.getSubtypeResolver().collectAndResolveSubtypesByTypeId(config, annotated);
        List<String> known = new ArrayList<>();
        for (NamedType subtype : subtypes) {
            if (id.asText().equals(subtype.getName())) {
                return config.getTypeFactory().constructSpecializedType(base, subtype.getType());
            }
            if (subtype.hasName()) {
                known.add(subtype.getName());
            }
        }
        problems.add(where + ": unknown value '" + id.asText() + "', expected one of " + known);
        return null;
    }

    /** Types whose inside the walk cannot or need not see: JDK types, enums, free-form values. */
    private boolean isOpaque(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw == Object.class
                || raw.isPrimitive()
                || raw.isEnum()
                || raw.getName().startsWith("java.")
                || JsonNode.class.isAssignableFrom(raw)
                || config.getAnnotationIntrospector()
                                .findDeserializer(
                                        config.introspectClassAnnotations(type).getClassInfo())
                        != null;
    }

    /** A field read by its own deserializer (such as a Quantity) has no bean fields to walk. */
    private boolean hasCustomDeserializer(BeanPropertyDefinition property) {
        return Stream.of(property.getSetter(), property.getField())
                .filter(member -> member != null)
                .anyMatch(
                        member ->
                                config.getAnnotationIntrospector().findDeserializer(member)
                                        != null);
    }

    private static boolean isDeprecated(BeanPropertyDefinition property) {
        return Stream.of(property.getGetter(), property.getSetter(), property.getField())
                .filter(member -> member != null)
                .map(AnnotatedMember::getAnnotated)
                .map(AnnotatedElement.class::cast)
                .anyMatch(element -> element.isAnnotationPresent(Deprecated.class));
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** "did you mean" for the closest known field, since most unknown fields are typos. */
    private static String suggestion(String name, Collection<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best != null && bestDistance <= Math.max(2, name.length() / 3)
                ? " (did you mean '" + best + "'?)"
                : "; known fields: " + known;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
