package dev.marquee.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the project lives and where its local state goes. Everything the local stack and the demo
 * write stays under {@code <home>/.marquee/}, so one folder holds Kafka's logs, the registry's
 * database and Flink's checkpoints, and survives {@code stack down}/{@code up}.
 *
 * <p>bin/marquee sets {@code -Dmarquee.home}; tests get it from failsafe.
 */
public final class MarqueeHome {
    private final Path root;

    public MarqueeHome(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public static MarqueeHome detect() {
        String prop = System.getProperty("marquee.home");
        if (prop == null || prop.isBlank()) {
            prop = System.getenv("MARQUEE_HOME");
        }
        if (prop != null && !prop.isBlank()) {
            return new MarqueeHome(Path.of(prop));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("bin/marquee"))) {
                return new MarqueeHome(d);
            }
        }
        return new MarqueeHome(dir);
    }

    /**
     * A file the user named on the command line. bin/marquee runs Java from the project root, so a
     * relative path is looked up where the user ran the command ({@code marquee.cwd}) first, then
     * here, then under the project root.
     */
    public Path userFile(Path file) {
        if (file.isAbsolute()) {
            return file;
        }
        String cwd = System.getProperty("marquee.cwd");
        if (cwd != null && !cwd.isBlank()) {
            Path candidate = Path.of(cwd).resolve(file);
            if (Files.exists(candidate)) {
                return candidate.toAbsolutePath().normalize();
            }
        }
        Path here = file.toAbsolutePath();
        if (Files.exists(here)) {
            return here.normalize();
        }
        return root.resolve(file).normalize();
    }

    public Path root() {
        return root;
    }

    /** Project-local state: {@code .marquee/}. */
    public Path dataDir() {
        return root.resolve(".marquee");
    }

    /** A runtime classpath folder assembled by bin/runtime/NAME (flink, kafka, sql). */
    public Path runtimeLib(String name) {
        return root.resolve("bin/runtime").resolve(name).resolve("target/lib");
    }

    /** The Flink SQL connector jars the SQL client loads with -j. */
    public Path sqlConnectors() {
        return root.resolve("bin/runtime/sql/target/connectors");
    }

    /** The unpacked Apicurio Registry distribution. */
    public Path registryDistribution() {
        return root.resolve("bin/runtime/registry/target/apicurio");
    }

    /** The shaded job jar submitted to clusters. */
    public Path jobJar() {
        return root.resolve("jobs/target/marquee-jobs-0.1.0-SNAPSHOT-job.jar");
    }

    /** SQL files: the catalog and the example queries. */
    public Path sqlDir() {
        return root.resolve("jobs/sql");
    }
}
