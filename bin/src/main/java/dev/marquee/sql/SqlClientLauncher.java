package dev.marquee.sql;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.UserError;
import dev.marquee.topics.Topic;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;

/**
 * Starts the Flink SQL client ({@code org.apache.flink.table.client.SqlClient embedded}) as its own
 * JVM, with every topic already declared as a table, submitting its queries to the running Flink
 * cluster.
 *
 * <p>Why a separate JVM: the client needs {@code flink-sql-avro-confluent-registry}, which
 * relocates Avro and ships its own {@code org.apache.flink.formats.avro} classes, so it cannot
 * share a classpath with the CLI's flink-avro and generated SpecificRecords (PLATFORM.md). Its
 * classpath is {@link MarqueeHome#runtimeLib(String) runtimeLib("sql")}; the Kafka connector and
 * the avro-confluent format are passed with {@code -j}, so they are also shipped with every job it
 * submits.
 *
 * <p>Each launch writes, under {@code .marquee/sql/}:
 *
 * <ul>
 *   <li>{@code init.sql}: {@code jobs/sql/catalog.sql} with the Kafka and registry addresses filled
 *       in, run with {@code -i} before anything else;
 *   <li>{@code conf/config.yaml} (the client's {@code FLINK_CONF_DIR}): {@code execution.target:
 *       remote} at the cluster's REST address, the embedded SQL gateway bound to 127.0.0.1, and the
 *       pipeline defaults below;
 *   <li>{@code conf/log4j2.properties}: the client's logging goes to {@code
 *       .marquee/logs/sql-client.log}, so a failed statement prints one {@code [ERROR]} reason on
 *       the terminal instead of three stack traces.
 * </ul>
 *
 * <p>Before starting (which takes several seconds) it checks, with short timeouts, that Kafka, the
 * registry and the Flink cluster answer, so a stack that is down is one clear sentence.
 *
 * <p>Exit codes: the client exits 0 even when a statement of a {@code -f} script fails (it stops at
 * the first failure and prints {@code [ERROR] ...}). The launcher therefore reads the output and
 * returns 1 when it saw an {@code [ERROR]} line, else the client's own code. An {@code INSERT} is
 * submitted asynchronously: its failure on the cluster is not seen unless the script sets {@code
 * 'table.dml-sync' = 'true'}.
 */
public final class SqlClientLauncher {
    /** The SQL client's entry point in flink-sql-client. */
    public static final String MAIN_CLASS = "org.apache.flink.table.client.SqlClient";

    /** Exit code of a script that ran past its timeout (as timeout(1) does). */
    public static final int TIMED_OUT = 124;

    /** Endpoints.flinkRestUrl value that runs queries in a MiniCluster inside the client JVM. */
    public static final String LOCAL = "local";

    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(4);
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");

    /**
     * The module opens Flink needs on Java 17: the same list the stack's cluster processes get,
     * behind a flag that lets a newer JVM skip what it does not know.
     */
    static final List<String> JAVA_17_OPENS =
            java.util.stream.Stream.concat(
                            java.util.stream.Stream.of("-XX:+IgnoreUnrecognizedVMOptions"),
                            dev.marquee.stack.FlinkCluster.JAVA17_OPTS.stream())
                    .toList();

    /** What a script run returned: the exit code and everything the client printed. */
    public record Result(int exitCode, String output, boolean timedOut) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    private final MarqueeHome home;
    private final Endpoints endpoints;
    private final PrintStream progress;

    /**
     * @param progress where progress and warnings go (stderr for the CLI), never the client's
     *     output
     */
    public SqlClientLauncher(MarqueeHome home, Endpoints endpoints, PrintStream progress) {
        this.home = home;
        this.endpoints = endpoints;
        this.progress = progress;
    }

    /**
     * Runs SQL statements (separated by {@code ;}) after the catalog and returns the exit code and
     * the client's output with terminal colour codes removed. For the demo and tests, e.g. {@code
     * SELECT ... FROM rights_events /*+ OPTIONS('scan.bounded.mode'='latest-offset') * /}: a query
     * on a Kafka table only ends when its scan is bounded.
     *
     * @param timeout the whole run, JVM start included; past it the client is killed and the result
     *     has exit code {@value #TIMED_OUT}
     * @throws UserError when Kafka, the registry or the cluster does not answer
     */
    public static Result runScript(
            MarqueeHome home, Endpoints endpoints, String sql, Duration timeout) {
        return new SqlClientLauncher(home, endpoints, System.err).script(sql, timeout);
    }

    /** See {@link #runScript(MarqueeHome, Endpoints, String, Duration)}. */
    public Result script(String sql, Duration timeout) {
        checkRuntime();
        checkStack();
        Path runDir = home.dataDir().resolve("sql/runs/" + UUID.randomUUID());
        try {
            Files.createDirectories(runDir);
            Path init = writeInit(runDir);
            Path conf = writeConf(runDir.resolve("conf"));
            Path script = runDir.resolve("script.sql");
            Files.writeString(
                    script, sql.endsWith("\n") ? sql : sql + "\n", StandardCharsets.UTF_8);
            ProcessBuilder pb =
                    processBuilder(init, conf, script, runDir.resolve("history"), false);
            pb.redirectErrorStream(true);
            long started = System.nanoTime();
            Process process = pb.start();
            Thread killer = new Thread(() -> destroyTree(process), "sql-client-stop");
            Runtime.getRuntime().addShutdownHook(killer);
            StringBuilder captured = new StringBuilder();
            AtomicBoolean sawError = new AtomicBoolean();
            Thread reader =
                    pump(
                            process.getInputStream(),
                            line -> {
                                String plain = stripAnsi(line);
                                synchronized (captured) {
                                    captured.append(plain).append('\n');
                                }
                                if (isError(plain)) {
                                    sawError.set(true);
                                }
                            });
            boolean finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                destroyTree(process);
            }
            reader.join(TimeUnit.SECONDS.toMillis(10));
            removeHook(killer);
            String output;
            synchronized (captured) {
                output = captured.toString();
            }
            if (!finished) {
                return new Result(
                        TIMED_OUT,
                        output + "[marquee] the SQL client was stopped after " + timeout + "\n",
                        true);
            }
            int code = exitCode(process.exitValue(), sawError.get());
            progress.printf(
                    "marquee: SQL script finished in %.1f s (exit %d)%n",
                    (System.nanoTime() - started) / 1e9, code);
            return new Result(code, output, false);
        } catch (IOException e) {
            throw new UncheckedIOException("starting the SQL client failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the SQL client ran", e);
        } finally {
            deleteTree(runDir);
        }
    }

    /**
     * Runs a SQL file, streaming the client's output to {@code out} as it comes, and returns the
     * exit code (1 when a statement failed).
     */
    public int runFile(Path file, PrintStream out) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("no such SQL file: " + file);
        }
        checkRuntime();
        checkStack();
        Path history = null;
        try {
            Path dir = sessionDir();
            // A script's statements (and the catalog's) stay out of the interactive history.
            history = Files.createTempFile(dir, "history-", ".tmp");
            ProcessBuilder pb =
                    processBuilder(
                            writeInit(dir), writeConf(dir.resolve("conf")), file, history, false);
            pb.redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
            progress.println(startingMessage());
            Process process = pb.start();
            Thread killer = new Thread(() -> destroyTree(process), "sql-client-stop");
            Runtime.getRuntime().addShutdownHook(killer);
            boolean colour = System.console() != null;
            AtomicBoolean sawError = new AtomicBoolean();
            Thread reader =
                    pump(
                            process.getInputStream(),
                            line -> {
                                String plain = stripAnsi(line);
                                if (isError(plain)) {
                                    sawError.set(true);
                                }
                                out.println(colour ? line : plain);
                            });
            int rc = process.waitFor();
            reader.join();
            out.flush();
            removeHook(killer);
            return exitCode(rc, sawError.get());
        } catch (IOException e) {
            throw new UncheckedIOException("starting the SQL client failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } finally {
            if (history != null) {
                deleteTree(history);
            }
        }
    }

    /**
     * The interactive client on this terminal. Ctrl-C belongs to the client (it cancels the running
     * query), so this JVM ignores SIGINT until the client exits; otherwise the launcher would die
     * and leave the client reading a terminal the shell has taken back.
     */
    public int interactive() {
        checkRuntime();
        checkStack();
        try {
            Path dir = sessionDir();
            Path init = writeInit(dir);
            Path history = dir.resolve("history");
            ProcessBuilder pb =
                    processBuilder(init, writeConf(dir.resolve("conf")), null, history, true);
            pb.inheritIO();
            progress.println(startingMessage());
            Process process = pb.start();
            // Only after the start: a child inherits an ignored SIGINT across exec, and the
            // client then could not cancel a query on Ctrl-C.
            Object previous = SigInt.ignore();
            Thread killer = new Thread(() -> destroyTree(process), "sql-client-stop");
            Runtime.getRuntime().addShutdownHook(killer);
            try {
                int rc = process.waitFor();
                removeHook(killer);
                return rc;
            } finally {
                SigInt.restore(previous);
                pruneHistory(history, Files.readString(init, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("starting the SQL client failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** {@code .marquee/sql}: the init file and conf of the CLI's sessions. */
    private Path sessionDir() throws IOException {
        Path dir = home.dataDir().resolve("sql");
        Files.createDirectories(dir);
        return dir;
    }

    private String startingMessage() {
        return "marquee: starting the Flink SQL client (takes 5-10 s; queries run "
                + (isLocal()
                        ? "inside the client"
                        : "on the cluster at " + endpoints.flinkRestUrl())
                + ", client log in "
                + logFile()
                + ")...";
    }

    /** The substituted catalog, written atomically so a concurrent launch never reads half. */
    Path writeInit(Path dir) throws IOException {
        Path catalogFile = CatalogGenerator.catalogFile(home);
        String catalog =
                Files.isRegularFile(catalogFile)
                        ? Files.readString(catalogFile, StandardCharsets.UTF_8)
                        : CatalogGenerator.generate();
        String init =
                CatalogGenerator.substitute(
                        catalog, endpoints.bootstrapServers(), endpoints.registryUrl());
        return writeAtomically(dir.resolve("init.sql"), init);
    }

    /** The client's FLINK_CONF_DIR: where it submits, how it binds, where it logs. */
    Path writeConf(Path confDir) throws IOException {
        Files.createDirectories(confDir);
        String target;
        if (isLocal()) {
            target =
                    String.join(
                            "\n",
                            "# No cluster named: queries run in a MiniCluster inside the client, on"
                                    + " the client's own classpath.",
                            "execution.target: local",
                            "rest.bind-address: 127.0.0.1",
                            "rest.address: 127.0.0.1");
        } else {
            URI rest = restUri();
            target =
                    String.join(
                            "\n",
                            "# Queries are submitted to the running cluster, not run inside the"
                                    + " client.",
                            "execution.target: remote",
                            "rest.address: " + rest.getHost(),
                            "rest.port: " + rest.getPort());
        }
        String config =
                String.join(
                        "\n",
                        "# Generated by bin/marquee sql (dev.marquee.sql.SqlClientLauncher) for the"
                                + " Flink SQL client.",
                        target,
                        "# The client's embedded SQL gateway: loopback only, like everything"
                                + " else.",
                        "sql-gateway.endpoint.rest.bind-address: 127.0.0.1",
                        "# One slot per query leaves the cluster's other slots to the jobs (2"
                                + " cores).",
                        "parallelism.default: 1",
                        "# A failing query fails instead of restarting forever.",
                        "restart-strategy.type: none",
                        "");
        writeAtomically(confDir.resolve("config.yaml"), config);
        String log4j =
                String.join(
                        "\n",
                        "# Generated by bin/marquee sql: the SQL client logs to a file, the"
                                + " terminal gets results.",
                        "rootLogger.level = INFO",
                        "rootLogger.appenderRef.file.ref = file",
                        "appender.file.name = file",
                        "appender.file.type = File",
                        "appender.file.append = true",
                        "appender.file.fileName = " + logFile().toString().replace("\\", "/"),
                        "appender.file.layout.type = PatternLayout",
                        "appender.file.layout.pattern = %d{ISO8601} %-5p [%t] %c{1.} - %m%n",
                        "logger.kafka.name = org.apache.kafka",
                        "logger.kafka.level = WARN",
                        "");
        writeAtomically(confDir.resolve("log4j2.properties"), log4j);
        return confDir;
    }

    private Path logFile() {
        return home.dataDir().resolve("logs/sql-client.log");
    }

    /** The client JVM's command line and environment. */
    ProcessBuilder processBuilder(
            Path init, Path confDir, Path sqlFile, Path history, boolean interactive)
            throws IOException {
        Files.createDirectories(logFile().getParent());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String heap = System.getenv("MARQUEE_SQL_HEAP");
        cmd.add("-Xmx" + (heap == null || heap.isBlank() ? "1g" : heap));
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(JAVA_17_OPENS);
        cmd.add("-Dlog4j.configurationFile=" + confDir.resolve("log4j2.properties").toUri());
        cmd.add("-Dlog.file=" + logFile());
        if (!interactive) {
            // No terminal to drive: say so, instead of jline warning that it could not find one.
            cmd.add("-Dorg.jline.terminal.dumb=true");
        }
        cmd.add("-cp");
        cmd.add(home.runtimeLib("sql").resolve("*").toString());
        cmd.add(MAIN_CLASS);
        cmd.add("embedded");
        cmd.add("-i");
        cmd.add(init.toString());
        if (sqlFile != null) {
            cmd.add("-f");
            cmd.add(sqlFile.toAbsolutePath().toString());
        }
        cmd.add("-hist");
        cmd.add(history.toString());
        for (Path jar : connectorJars()) {
            cmd.add("-j");
            cmd.add(jar.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.directory(home.root().toFile());
        pb.environment().put("FLINK_CONF_DIR", confDir.toString());
        return pb;
    }

    private List<Path> connectorJars() {
        try (Stream<Path> jars = Files.list(home.sqlConnectors())) {
            return jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The client and its connectors are built by bin/runtime/sql (bin/marquee builds it). */
    void checkRuntime() {
        Path lib = home.runtimeLib("sql");
        if (!hasJar(lib, "flink-sql-client")) {
            throw new UserError(
                    "the Flink SQL client is not built ("
                            + lib
                            + " is missing): run bin/marquee setup");
        }
        Path connectors = home.sqlConnectors();
        if (!hasJar(connectors, "flink-sql-connector-kafka")
                || !hasJar(connectors, "flink-sql-avro-confluent-registry")) {
            throw new UserError(
                    "the Flink SQL connector jars are missing from "
                            + connectors
                            + ": run bin/marquee setup");
        }
    }

    private static boolean hasJar(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(
                    p ->
                            p.getFileName().toString().startsWith(prefix)
                                    && p.getFileName().toString().endsWith(".jar"));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Kafka, the registry and the Flink cluster must answer before a 10-second JVM start is worth
     * it. Missing topics are only a warning: the catalog still loads.
     */
    void checkStack() {
        checkFlink();
        checkRegistry();
        checkKafka();
    }

    /**
     * True when the endpoints name no Flink cluster ({@link #LOCAL}): the demo's check uses this,
     * because its in-JVM MiniCluster carries the jobs' unshaded Kafka connector, which clashes with
     * the SQL connector jar the client ships.
     */
    boolean isLocal() {
        return LOCAL.equals(endpoints.flinkRestUrl());
    }

    private void checkFlink() {
        if (isLocal()) {
            return;
        }
        URI overview = URI.create(stripSlash(restUri().toString()) + "/overview");
        int status = httpStatus(overview);
        if (status != 200) {
            throw new UserError(
                    "no Flink cluster at "
                            + endpoints.flinkRestUrl()
                            + (status > 0 ? " (HTTP " + status + ")" : "")
                            + ": run bin/marquee stack up");
        }
    }

    private void checkRegistry() {
        URI subjects = URI.create(stripSlash(endpoints.registryUrl()) + "/subjects");
        int status = httpStatus(subjects);
        if (status < 0) {
            throw new UserError(
                    "the schema registry is unreachable at "
                            + endpoints.registryUrl()
                            + ": run bin/marquee stack up");
        }
        if (status != 200) {
            throw new UserError(
                    "the schema registry at "
                            + endpoints.registryUrl()
                            + " answered HTTP "
                            + status
                            + " for /subjects: is it the Confluent-compatible API URL"
                            + " (.../apis/ccompat/v7)?");
        }
    }

    private void checkKafka() {
        var props = Provisioner.adminProperties(endpoints.bootstrapServers());
        props.put("request.timeout.ms", (int) CHECK_TIMEOUT.toMillis());
        props.put("default.api.timeout.ms", (int) CHECK_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(props)) {
            Set<String> names =
                    admin.listTopics()
                            .names()
                            .get(CHECK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
            List<String> missing =
                    Topic.allNames().stream().filter(n -> !names.contains(n)).toList();
            if (!missing.isEmpty()) {
                progress.println(
                        "marquee: warning: "
                                + missing.size()
                                + " of "
                                + Topic.allNames().size()
                                + " topics do not exist yet (e.g. "
                                + missing.get(0)
                                + "); queries on them find nothing");
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new UserError(
                    "Kafka is unreachable at "
                            + endpoints.bootstrapServers()
                            + ": run bin/marquee stack up");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers within the check timeout. */
    private static int httpStatus(URI uri) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CHECK_TIMEOUT).build();
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(CHECK_TIMEOUT).GET().build();
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private URI restUri() {
        URI uri;
        try {
            uri = URI.create(endpoints.flinkRestUrl());
        } catch (IllegalArgumentException e) {
            throw new UserError("not a Flink REST URL: " + endpoints.flinkRestUrl());
        }
        if (uri.getHost() == null) {
            throw new UserError("not a Flink REST URL: " + endpoints.flinkRestUrl());
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 8081;
        return URI.create(
                (uri.getScheme() == null ? "http" : uri.getScheme())
                        + "://"
                        + uri.getHost()
                        + ":"
                        + port);
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * Removes the catalog's statements from the client's history file. The client records every
     * statement it runs, the {@code -i} file's included, so without this each session would add 28
     * CREATE TABLE / SET entries (~90 KB) in front of what the user typed. The history file holds
     * one entry per line, {@code <epoch-millis>:<statement>} with newlines escaped as {@code \n}
     * and backslashes doubled (jline's format).
     */
    static void pruneHistory(Path history, String initSql) {
        if (!Files.isRegularFile(history)) {
            return;
        }
        Set<String> catalogEntries = new java.util.HashSet<>();
        for (String statement : initSql.split("(?<=;)\\n")) {
            String s = statement.strip();
            if (!s.isEmpty()) {
                catalogEntries.add(s.replace("\\", "\\\\").replace("\n", "\\n"));
            }
        }
        try {
            List<String> lines = Files.readAllLines(history, StandardCharsets.UTF_8);
            List<String> kept =
                    lines.stream()
                            .filter(
                                    l -> {
                                        int colon = l.indexOf(':');
                                        return colon < 0
                                                || !catalogEntries.contains(l.substring(colon + 1));
                                    })
                            .toList();
            if (kept.size() != lines.size()) {
                writeAtomically(history, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
            }
        } catch (IOException | UncheckedIOException e) {
            // History is a convenience: never fail a session over it.
        }
    }

    static String stripAnsi(String line) {
        return ANSI.matcher(line).replaceAll("");
    }

    /** The client marks every failed statement with a line starting {@code [ERROR]}. */
    static boolean isError(String plainLine) {
        String s = plainLine.strip();
        return s.startsWith("[ERROR]") || s.startsWith("Flink SQL> [ERROR]");
    }

    private static int exitCode(int clientCode, boolean sawError) {
        if (clientCode != 0) {
            return clientCode;
        }
        return sawError ? 1 : 0;
    }

    private static Thread pump(InputStream in, Consumer<String> lines) {
        Thread t =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(in, StandardCharsets.UTF_8))) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    lines.accept(line);
                                }
                            } catch (IOException e) {
                                // The client went away; what it printed so far is kept.
                            }
                        },
                        "sql-client-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Stops the client and anything it started. */
    private static void destroyTree(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook stops the client.
        }
    }

    private static Path writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return file;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // Best effort: a leftover run folder is harmless.
                                }
                            });
        } catch (IOException e) {
            // Best effort.
        }
    }

    /**
     * SIGINT handling through {@code sun.misc.Signal} (module jdk.unsupported, kept for exactly
     * this use), called reflectively so the build has no internal-API warnings. When it is
     * unavailable the launcher still works; Ctrl-C then also ends it, and the shutdown hook stops
     * the client.
     */
    private static final class SigInt {
        /** Ignores SIGINT; returns the previous handler (or null) for {@link #restore}. */
        static Object ignore() {
            try {
                Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
                return handle(handlerType.getField("SIG_IGN").get(null));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        static void restore(Object previous) {
            if (previous == null) {
                return;
            }
            try {
                handle(previous);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // Nothing to restore.
            }
        }

        private static Object handle(Object handler) throws ReflectiveOperationException {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object signal = signalType.getConstructor(String.class).newInstance("INT");
            return signalType
                    .getMethod("handle", signalType, handlerType)
                    .invoke(null, signal, handler);
        }
    }
}
