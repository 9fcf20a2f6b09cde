package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Apicurio Registry 3.3.3 as a child JVM: a real schema registry with a Confluent-compatible API at
 * {@code /apis/ccompat/v7}, so jobs, tests and the stack exercise the same REST calls and wire
 * format they use against Confluent in production. (The Confluent registry itself is not on Maven
 * Central; Apicurio's ready-to-run bundle is.)
 *
 * <p>Two uses share one command line ({@link #command}):
 *
 * <ul>
 *   <li>attached, for tests and the demo: {@link #start(MarqueeHome, Path, int)} returns a handle;
 *       the registry dies with {@link #close()}, with a JVM shutdown hook, and, through a tiny
 *       watchdog shell, even when this JVM is killed with SIGKILL (a build timeout), so no test run
 *       leaves a 250 MB registry behind;
 *   <li>detached, for {@code stack up}: {@link RegistryComponent} starts the same command in a
 *       session of its own, recorded in a pid file.
 * </ul>
 *
 * <p>Choices, each verified against 3.3.3:
 *
 * <ul>
 *   <li>Java 21+ (3.3.3 is Java 21 bytecode): see {@link JavaRuntime#atLeast}.
 *   <li>Bound to 127.0.0.1. 3.3.3 also opens a management interface (health, metrics) on
 *       0.0.0.0:9000 by default; it cannot be disabled at runtime (a build-time setting), so it is
 *       bound to 127.0.0.1 on a kernel-chosen port, which can never collide with anything.
 *   <li>{@code apicurio.rules.global.compatibility=BACKWARD}: Apicurio's default is NONE, while
 *       Confluent's (and Marquee's schema-evolution contract) is BACKWARD. With it an incompatible
 *       registration is refused with HTTP 409, as Confluent does.
 *   <li>Durable storage in an H2 file database ({@code jdbc:h2:file:<dir>/registry}): the default
 *       is in-memory, and a stack whose Kafka keeps its records must keep the schemas (and their
 *       ids, which are inside every record) too. H2 starts in ~2-3 s; Apicurio's kafkasql storage
 *       would also work but takes 15-25 s to start and couples the registry to the broker. {@code
 *       DB_CLOSE_ON_EXIT=FALSE} lets Quarkus close the database in its own shutdown order instead
 *       of H2's shutdown hook racing it.
 *   <li>Logs to a file ({@code registry.log}, rotated by Quarkus), not the console; the HTTP access
 *       log is off because every registry lookup of every job would land there.
 * </ul>
 */
public final class RegistryServer implements AutoCloseable {
    /** Apicurio 3.3.3 is compiled for Java 21. */
    static final int JAVA_FEATURE = 21;

    static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    private final Process process;
    private final Process watchdog;
    private final int port;
    private final Path dataDir;
    private final Thread shutdownHook;
    private long startupMillis;

    private RegistryServer(Process process, Process watchdog, int port, Path dataDir) {
        this.process = process;
        this.watchdog = watchdog;
        this.port = port;
        this.dataDir = dataDir;
        this.shutdownHook = new Thread(this::stop, "registry-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a registry attached to this JVM and waits (up to 60 s) until its Confluent API
     * answers.
     *
     * @param dataDir where the H2 database and the logs go; reuse it to get the same schemas and
     *     ids back
     * @param port the HTTP port on 127.0.0.1, or 0 for a free one
     * @throws IllegalStateException with the last log lines if it does not come up
     */
    public static RegistryServer start(MarqueeHome home, Path dataDir, int port) {
        Path java = JavaRuntime.atLeast(JAVA_FEATURE, "Apicurio Registry 3.3.3");
        checkDistribution(home);
        Path data = dataDir.toAbsolutePath().normalize();
        if (port != 0) {
            return startOnce(java, home, data, port);
        }
        // A free port picked here could be taken by someone else before the registry binds it
        // seconds later. Rare, but a test suite should not fail for it: if the registry exits
        // while starting, try once more on another port.
        try {
            return startOnce(java, home, data, Ports.freePort());
        } catch (StartFailure e) {
            if (!e.exited) {
                throw e;
            }
            return startOnce(java, home, data, Ports.freePort());
        }
    }

    /** The registry did not come up; {@code exited} tells a crash from a timeout. */
    private static final class StartFailure extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final boolean exited;

        StartFailure(String message, boolean exited) {
            super(message);
            this.exited = exited;
        }
    }

    private static RegistryServer startOnce(Path java, MarqueeHome home, Path data, int port) {
        Path log = data.resolve("registry.log");
        Path out = data.resolve("registry.out");
        List<String> command =
                command(
                        java,
                        home,
                        data,
                        port,
                        log,
                        List.of("-Dmarquee.registry.owner=" + ProcessHandle.current().pid()));
        Process process;
        Process watchdog;
        try {
            Files.createDirectories(data);
            process = ChildProcesses.start(command, data, out, false);
            watchdog = startWatchdog(process.pid());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "cannot start the schema registry: " + e.getMessage(), e);
        }
        RegistryServer server = new RegistryServer(process, watchdog, port, data);
        long started = System.nanoTime();
        String base = baseUrl(port);
        ChildProcesses.Readiness outcome =
                ChildProcesses.await(process.pid(), () -> answers(base), Duration.ofSeconds(60));
        if (outcome != ChildProcesses.Readiness.READY) {
            String tails = ChildProcesses.tails(30, log, out);
            server.close();
            boolean exited = outcome == ChildProcesses.Readiness.DIED;
            throw new StartFailure(
                    "the schema registry on "
                            + base
                            + (exited ? " exited while starting" : " did not answer within 60 s")
                            + tails,
                    exited);
        }
        server.startupMillis = (System.nanoTime() - started) / 1_000_000;
        return server;
    }

    /**
     * The command line of a registry JVM. {@code marker} is appended as JVM options so the process
     * can be found again by its command line.
     */
    static List<String> command(
            Path java,
            MarqueeHome home,
            Path dataDir,
            int port,
            Path logFile,
            List<String> marker) {
        Path distribution = home.registryDistribution();
        String jdbc = "jdbc:h2:file:" + dataDir.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE";
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.add("-Xmx256m");
        cmd.add("-XX:+ExitOnOutOfMemoryError");
        cmd.addAll(marker);
        cmd.add("-Dquarkus.http.host=" + Ports.LOOPBACK);
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.management.host=" + Ports.LOOPBACK);
        cmd.add("-Dquarkus.management.port=0");
        cmd.add("-Dapicurio.rules.global.compatibility=BACKWARD");
        cmd.add("-Dapicurio.storage.kind=sql");
        cmd.add("-Dapicurio.storage.sql.kind=h2");
        cmd.add("-Dapicurio.datasource.url=" + jdbc);
        cmd.add("-Dquarkus.http.access-log.enabled=false");
        cmd.add("-Dquarkus.log.console.enabled=false");
        cmd.add("-Dquarkus.log.file.enabled=true");
        cmd.add("-Dquarkus.log.file.json.enabled=false"); // this build logs JSON by default
        cmd.add("-Dquarkus.log.file.path=" + logFile);
        cmd.add("-Dquarkus.log.file.format=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n");
        cmd.add("-Dquarkus.log.file.rotation.max-file-size=10M");
        cmd.add("-Dquarkus.log.file.rotation.max-backup-index=3");
        cmd.add("-jar");
        cmd.add(distribution.resolve("quarkus-run.jar").toString());
        return cmd;
    }

    static void checkDistribution(MarqueeHome home) {
        if (!Files.isRegularFile(home.registryDistribution().resolve("quarkus-run.jar"))) {
            throw new UserError(
                    "the schema registry is not built: "
                            + home.registryDistribution()
                            + "/quarkus-run.jar is missing (run `bin/marquee setup` or"
                            + " `mvn install -DskipTests` at the project root)");
        }
    }

    /**
     * A shell that SIGTERMs the registry once this JVM is gone. A shutdown hook covers normal exits
     * and SIGTERM but not SIGKILL (what a build timeout or an IDE's stop button sends); the shell
     * polls this JVM's pid once a second, so an orphaned registry lives at most ~1 s.
     */
    private static Process startWatchdog(long child) throws IOException {
        long self = ProcessHandle.current().pid();
        String script =
                "while kill -0 "
                        + self
                        + " 2>/dev/null; do sleep 1; done; kill "
                        + child
                        + " 2>/dev/null";
        return new ProcessBuilder("/bin/sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
    }

    /** Whether a registry answers its Confluent API on this base URL ("http://127.0.0.1:p"). */
    static boolean answers(String base) {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(base + CCOMPAT_PATH + "/subjects"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static String baseUrl(int port) {
        return "http://" + Ports.LOOPBACK + ":" + port;
    }

    /** The Confluent-compatible API: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return baseUrl(port) + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** How long the last start took until the API answered. */
    public long startupMillis() {
        return startupMillis;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Stops the registry (SIGTERM, SIGKILL after 15 s) and waits for it; idempotent. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or ran
        }
    }

    private synchronized void stop() {
        watchdog.destroy();
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "registry " + url() + " (pid " + process.pid() + ")";
    }
}
