package dev.marquee.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;

/**
 * A small client for the Confluent Schema Registry REST API (v7), enough for the wire format:
 * register a schema under a subject, look a schema up by id, read and set compatibility.
 *
 * <p>The Confluent Java client is not on Maven Central, so Marquee speaks the documented REST API
 * itself. Lookups are cached both ways (schema to id per subject, id to schema) because a job calls
 * them per record; ids never change once assigned, so the cache never goes stale.
 */
public final class SchemaRegistryClient {
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryConfig config;
    private final HttpClient http;
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

    public SchemaRegistryClient(RegistryConfig config) {
        this.config = config;
        HttpClient.Builder builder =
                HttpClient.newBuilder()
                        .connectTimeout(config.timeout())
                        .version(HttpClient.Version.HTTP_1_1);
        if (config.trustStorePath() != null) {
            builder.sslContext(sslContext(config));
        }
        this.http = builder.build();
    }

    public RegistryConfig config() {
        return config;
    }

    /** Registers (or finds) the schema under the subject and returns its global id. */
    public int register(String subject, Schema schema) {
        String key = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        JsonNode answer = call("POST", "/subjects/" + subject + "/versions", body);
        int id = answer.path("id").asInt(-1);
        if (id < 0) {
            throw new RegistryException(
                    "registry gave no id for " + subject + ": " + answer, 500, null);
        }
        idsBySubjectAndSchema.put(key, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** Looks up the id of a schema already registered under the subject, without registering. */
    public int lookup(String subject, Schema schema) {
        String key = subject + '\u0000' + schema.toString();
        Integer cached = idsBySubjectAndSchema.get(key);
        if (cached != null) {
            return cached;
        }
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        int id = call("POST", "/subjects/" + subject, body).path("id").asInt();
        idsBySubjectAndSchema.put(key, id);
        return id;
    }

    /** The writer schema for a global id, as carried in the wire format's 4-byte header. */
    public Schema schemaById(int id) {
        return schemasById.computeIfAbsent(
                id,
                i -> {
                    JsonNode answer = call("GET", "/schemas/ids/" + i, null);
                    return new Schema.Parser().parse(answer.path("schema").asText());
                });
    }

    /** The latest schema registered under a subject. */
    public Schema latest(String subject) {
        JsonNode answer = call("GET", "/subjects/" + subject + "/versions/latest", null);
        int id = answer.path("id").asInt();
        Schema schema = new Schema.Parser().parse(answer.path("schema").asText());
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    /** Whether the schema could be registered under the subject's compatibility rule. */
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode().put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        try {
            return call("POST", "/compatibility/subjects/" + subject + "/versions/latest", body)
                    .path("is_compatible")
                    .asBoolean(false);
        } catch (RegistryException e) {
            if (e.isNotFound()) {
                return true; // nothing registered yet: anything is compatible
            }
            throw e;
        }
    }

    /** Sets the compatibility level of one subject (BACKWARD, FULL, NONE, ...). */
    public void setCompatibility(String subject, String level) {
        call("PUT", "/config/" + subject, JSON.createObjectNode().put("compatibility", level));
    }

    /** Every subject the registry knows. Also the cheapest "are you there" probe. */
    public java.util.List<String> subjects() {
        JsonNode answer = call("GET", "/subjects", null);
        java.util.List<String> out = new java.util.ArrayList<>();
        answer.forEach(n -> out.add(n.asText()));
        return out;
    }

    private JsonNode call(String method, String path, JsonNode body) {
        RegistryException last = null;
        for (String base : config.urls()) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(config.timeout())
                            .header("Accept", CONTENT_TYPE + ", application/json");
            if (config.basicAuthUserInfo() != null) {
                request.header(
                        "Authorization",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                config.basicAuthUserInfo()
                                                        .getBytes(StandardCharsets.UTF_8)));
            }
            if (body != null) {
                request.header("Content-Type", CONTENT_TYPE);
                request.method(method, HttpRequest.BodyPublishers.ofString(body.toString()));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<String> response;
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                last =
                        new RegistryException(
                                "schema registry unreachable at " + base + " (" + e + ")", 0, e);
                continue; // try the next URL
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryException("interrupted calling the schema registry", 0, e);
            }
            int status = response.statusCode();
            if (status >= 500) {
                last =
                        new RegistryException(
                                "schema registry at "
                                        + base
                                        + " failed: HTTP "
                                        + status
                                        + " "
                                        + response.body(),
                                status,
                                null);
                continue;
            }
            if (status >= 300) {
                throw new RegistryException(
                        method
                                + " "
                                + path
                                + " refused: HTTP "
                                + status
                                + " "
                                + message(response.body()),
                        status,
                        null);
            }
            try {
                return JSON.readTree(response.body());
            } catch (IOException e) {
                throw new RegistryException(
                        "schema registry answered non-JSON: " + response.body(), status, e);
            }
        }
        throw last;
    }

    private static String message(String body) {
        try {
            JsonNode node = JSON.readTree(body);
            return node.path("message").asText(body);
        } catch (IOException e) {
            return body;
        }
    }

    private static SSLContext sslContext(RegistryConfig config) {
        try (InputStream in = new FileInputStream(config.trustStorePath())) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            char[] password =
                    config.trustStorePassword() == null
                            ? null
                            : config.trustStorePassword().toCharArray();
            store.load(in, password);
            TrustManagerFactory factory =
                    TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalArgumentException(
                    "cannot load registry trust store "
                            + config.trustStorePath()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }
}
