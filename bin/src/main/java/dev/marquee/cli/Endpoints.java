package dev.marquee.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The addresses a command talks to. A running stack ({@code stack up}, or a demo that keeps
 * running) writes them to {@code .marquee/endpoints.json}; commands read that file, then fall back
 * to the stack's fixed loopback ports. Options and environment variables override both.
 */
public record Endpoints(String bootstrapServers, String registryUrl, String flinkRestUrl) {

    public static final String DEFAULT_BOOTSTRAP = "127.0.0.1:9092";
    public static final String DEFAULT_REGISTRY = "http://127.0.0.1:8085/apis/ccompat/v7";
    public static final String DEFAULT_FLINK = "http://127.0.0.1:8081";

    private static final ObjectMapper JSON = new ObjectMapper();

    public static Endpoints defaults() {
        return new Endpoints(DEFAULT_BOOTSTRAP, DEFAULT_REGISTRY, DEFAULT_FLINK);
    }

    public static Path file(MarqueeHome home) {
        return home.dataDir().resolve("endpoints.json");
    }

    /** What the running stack published, else the defaults; then env overrides. */
    public static Endpoints resolve(MarqueeHome home) {
        Endpoints base = defaults();
        Path file = file(home);
        if (Files.isRegularFile(file)) {
            try {
                base = JSON.readValue(file.toFile(), Endpoints.class);
            } catch (IOException e) {
                // A torn file from a crashed stack: the defaults are the best guess.
            }
        }
        return base.override(
                System.getenv("MARQUEE_BOOTSTRAP_SERVERS"),
                System.getenv("MARQUEE_REGISTRY_URL"),
                System.getenv("MARQUEE_FLINK_URL"));
    }

    public Endpoints override(String bootstrap, String registry, String flink) {
        return new Endpoints(
                blank(bootstrap) ? bootstrapServers : bootstrap,
                blank(registry) ? registryUrl : registry,
                blank(flink) ? flinkRestUrl : flink);
    }

    public void publish(MarqueeHome home) throws IOException {
        Files.createDirectories(home.dataDir());
        Path tmp = file(home).resolveSibling("endpoints.json.tmp");
        JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), this);
        Files.move(
                tmp,
                file(home),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static void withdraw(MarqueeHome home) throws IOException {
        Files.deleteIfExists(file(home));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
