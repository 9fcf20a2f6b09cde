package dev.marquee.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.IOException;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The stack's Flink 2.2 standalone session cluster: one JobManager and one TaskManager process
 * started from the jars bin/runtime/flink assembles (flink-dist is not on Maven Central, so there
 * is no bin/start-cluster.sh to call). This class does what those scripts would: write {@code
 * config.yaml} and a log4j2 configuration, ask Flink's own {@code BashJavaUtils} for the JVM memory
 * flags that match the configured process sizes, and add the JDK 17 module flags Flink needs.
 *
 * <p>The configuration is the contract the jobs are written against: RocksDB with incremental
 * checkpoints every 10 s into {@code .marquee/stack/flink/checkpoints} (kept on cancel, so a job
 * can be resumed after {@code stack down}/{@code up}), no auto-generated operator uids (every
 * stateful operator must name its uid, or savepoints break when a job changes) and no generic
 * (Kryo) types (every record type must have a real serializer).
 */
public final class FlinkCluster {
    static final int REST_PORT = 8081;
    static final int RPC_PORT = 6123;
    static final int SLOTS = 4;

    /**
     * Flink's default {@code env.java.opts.all} from flink-dist's config.yaml: the module openings
     * Flink's serializers and RPC need on JDK 17, which its start scripts add.
     */
    public static final List<String> JAVA17_OPTS =
            List.of(
                    "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
                    "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.api=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.parser=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.tree=ALL-UNNAMED",
                    "--add-exports=jdk.compiler/com.sun.tools.javac.util=ALL-UNNAMED",
                    "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang=ALL-UNNAMED",
                    "--add-opens=java.base/java.net=ALL-UNNAMED",
                    "--add-opens=java.base/java.io=ALL-UNNAMED",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
                    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
                    "--add-opens=java.base/java.text=ALL-UNNAMED",
                    "--add-opens=java.base/java.time=ALL-UNNAMED",
                    "--add-opens=java.base/java.util=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
                    "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(1))
                    .version(HttpClient.Version.HTTP_1_1)
                    .build();

    private final StackLayout layout;
    private final MarqueeHome home;
    private boolean configWritten;

    FlinkCluster(StackLayout layout, MarqueeHome home) {
        this.layout = layout;
        this.home = home;
    }

    static String restUrl() {
        return "http://" + Ports.LOOPBACK + ":" + REST_PORT;
    }

    Path confDir() {
        return layout.flinkConf();
    }

    Path configFile() {
        return confDir().resolve("config.yaml");
    }

    Path log4jFile() {
        return confDir().resolve("log4j.properties");
    }

    String classpath() {
        return RuntimeLibs.classpath(home, "flink");
    }

    /**
     * Writes config.yaml and log4j.properties (both processes read the same folder). The JobManager
     * and TaskManager are prepared on parallel threads, so this runs once per {@code up} and
     * replaces each file atomically: a reader never sees half a file.
     */
    synchronized void writeConfig() throws IOException {
        if (configWritten) {
            return;
        }
        Files.createDirectories(confDir());
        Files.createDirectories(layout.flink().resolve("tmp"));
        Files.createDirectories(layout.logs());
        writeAtomically(configFile(), config());
        writeAtomically(log4jFile(), log4j());
        configWritten = true;
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    String config() {
        String host = Ports.LOOPBACK;
        List<String> lines =
                List.of(
                        "# Written by `marquee stack up` on every start (see"
                                + " dev.marquee.stack.FlinkCluster).",
                        "jobmanager.rpc.address: " + host,
                        "jobmanager.rpc.port: " + RPC_PORT,
                        "jobmanager.bind-host: " + host,
                        "jobmanager.memory.process.size: 1024m",
                        "jobmanager.execution.failover-strategy: region",
                        "taskmanager.host: " + host,
                        "taskmanager.bind-host: " + host,
                        "taskmanager.numberOfTaskSlots: " + SLOTS,
                        "taskmanager.memory.process.size: 1536m",
                        // Both start together; retry the JobManager every second, not every 10 s.
                        "cluster.registration.error-delay: 1s",
                        "rest.address: " + host,
                        "rest.bind-address: " + host,
                        "rest.port: " + REST_PORT,
                        "parallelism.default: 1",
                        "state.backend.type: rocksdb",
                        "execution.checkpointing.incremental: true",
                        "execution.checkpointing.interval: 10s",
                        "execution.checkpointing.dir: "
                                + quote(fileUri(layout.flink().resolve("checkpoints"))),
                        "execution.checkpointing.savepoint-dir: "
                                + quote(fileUri(layout.flink().resolve("savepoints"))),
                        "execution.checkpointing.externalized-checkpoint-retention:"
                                + " RETAIN_ON_CANCELLATION",
                        "pipeline.auto-generate-uids: false",
                        "pipeline.generic-types: false",
                        "io.tmp.dirs: " + quote(layout.flink().resolve("tmp").toString()),
                        "web.tmpdir: " + quote(layout.flink().resolve("tmp").toString()),
                        "env.java.opts.all: " + quote(String.join(" ", JAVA17_OPTS)));
        return String.join("\n", lines) + "\n";
    }

    /**
     * Flink's log4j2 setup, one rolling file per process named by -Dlog.file (the web UI serves
     * it).
     */
    String log4j() {
        return String.join(
                        "\n",
                        "# Written by `marquee stack up`: each process logs to ${sys:log.file}.",
                        "monitorInterval=30",
                        "rootLogger.level=INFO",
                        "rootLogger.appenderRef.file.ref=MainAppender",
                        "logger.pekko.name=org.apache.pekko",
                        "logger.pekko.level=INFO",
                        "logger.kafka.name=org.apache.kafka",
                        "logger.kafka.level=INFO",
                        "logger.hadoop.name=org.apache.hadoop",
                        "logger.hadoop.level=WARN",
                        "logger.zookeeper.name=org.apache.zookeeper",
                        "logger.zookeeper.level=WARN",
                        "logger.shaded_zookeeper.name=org.apache.flink.shaded.zookeeper3",
                        "logger.shaded_zookeeper.level=WARN",
                        "logger.netty.name=org.jboss.netty.channel.DefaultChannelPipeline",
                        "logger.netty.level=OFF",
                        "appender.main.name=MainAppender",
                        "appender.main.type=RollingFile",
                        "appender.main.append=true",
                        "appender.main.fileName=${sys:log.file}",
                        "appender.main.filePattern=${sys:log.file}.%i",
                        "appender.main.layout.type=PatternLayout",
                        "appender.main.layout.pattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x -"
                                + " %m%n",
                        "appender.main.policies.type=Policies",
                        "appender.main.policies.size.type=SizeBasedTriggeringPolicy",
                        "appender.main.policies.size.size=20MB",
                        "appender.main.policies.startup.type=OnStartupTriggeringPolicy",
                        "appender.main.strategy.type=DefaultRolloverStrategy",
                        "appender.main.strategy.max=5")
                + "\n";
    }

    private static String fileUri(Path p) {
        return p.toUri().toString();
    }

    /** YAML single-quoted scalar: paths may hold ':' or spaces. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** JVM flags (line 1) and dynamic {@code -D key=value} arguments (line 2) for one process. */
    record ResourceParams(List<String> jvmArgs, List<String> dynamicArgs) {}

    /**
     * Asks Flink how to size a process's JVM for the configured process size, exactly as
     * jobmanager.sh / taskmanager.sh do: {@code BashJavaUtils GET_JM_RESOURCE_PARAMS} (or TM)
     * prints two lines prefixed {@code BASH_JAVA_UTILS_EXEC_RESULT:}, first the JVM flags ({@code
     * -Xmx -Xms -XX:MaxMetaspaceSize ...}), then {@code -D key=value} pairs the process must get as
     * arguments so it agrees with them. Computing it ourselves would drift from Flink's memory
     * model whenever Flink changes it.
     */
    ResourceParams resourceParams(String command) throws IOException {
        List<String> cmd =
                List.of(
                        JavaRuntime.current().toString(),
                        "-cp",
                        classpath(),
                        "org.apache.flink.runtime.util.bash.BashJavaUtils",
                        command,
                        "--configDir",
                        confDir().toString());
        Process p =
                new ProcessBuilder(cmd)
                        .directory(layout.flink().toFile())
                        .redirectErrorStream(true)
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                        .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        List<String> results =
                output.lines()
                        .filter(l -> l.startsWith(RESULT_PREFIX))
                        .map(l -> l.substring(RESULT_PREFIX.length()).trim())
                        .toList();
        if (p.exitValue() != 0 || results.size() < 2) {
            System.err.println(output);
            throw new UserError(
                    "Flink could not size its " + command + " memory from " + configFile());
        }
        // The last two result lines: earlier ones (if any) would be from a chattier Flink.
        String jvm = results.get(results.size() - 2);
        String dynamic = results.get(results.size() - 1);
        return new ResourceParams(split(jvm), split(dynamic));
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    List<String> command(
            String mainClass, ResourceParams params, Path logFile, List<String> marker) {
        List<String> cmd = new ArrayList<>();
        cmd.add(JavaRuntime.current().toString());
        cmd.addAll(params.jvmArgs());
        cmd.addAll(JAVA17_OPTS);
        cmd.addAll(marker);
        cmd.add("-Dlog.file=" + logFile);
        cmd.add("-Dlog4j.configurationFile=" + log4jFile().toUri());
        cmd.add("-cp");
        cmd.add(classpath());
        cmd.add(mainClass);
        cmd.add("--configDir");
        cmd.add(confDir().toString());
        cmd.addAll(params.dynamicArgs());
        return cmd;
    }

    /** GET {@code /overview} of the REST API, or empty if it does not answer. */
    static Optional<JsonNode> overview() {
        try {
            HttpRequest request =
                    HttpRequest.newBuilder(URI.create(restUrl() + "/overview"))
                            .timeout(Duration.ofSeconds(2))
                            .GET()
                            .build();
            HttpResponse<String> response =
                    HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /**
     * What both Flink processes share: the cluster's classpath and config, a JVM started from an
     * entry point with the memory flags BashJavaUtils computes for that role, the Flink work
     * folder, and a generous start-up timeout (two JVMs on two cores).
     */
    abstract static class FlinkProcess extends Component {
        final FlinkCluster cluster;
        private final String mainClass;
        private final String resourceParams;

        FlinkProcess(
                StackLayout layout, FlinkCluster cluster, String mainClass, String resourceParams) {
            super(layout);
            this.cluster = cluster;
            this.mainClass = mainClass;
            this.resourceParams = resourceParams;
        }

        @Override
        void preflight() {
            cluster.classpath();
        }

        @Override
        void prepare() throws IOException {
            cluster.writeConfig();
        }

        @Override
        List<String> command() throws IOException {
            return cluster.command(
                    mainClass, cluster.resourceParams(resourceParams), logFile(), marker());
        }

        @Override
        Path workDir() {
            return layout.flink();
        }

        @Override
        Duration readyTimeout() {
            return Duration.ofSeconds(90);
        }
    }

    /** The JobManager: its REST API and web UI on 8081, RPC on 6123. */
    static final class JobManager extends FlinkProcess {
        JobManager(StackLayout layout, FlinkCluster cluster) {
            super(
                    layout,
                    cluster,
                    "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    "GET_JM_RESOURCE_PARAMS");
        }

        @Override
        String name() {
            return "flink-jobmanager";
        }

        @Override
        List<Integer> ports() {
            return List.of(REST_PORT, RPC_PORT);
        }

        @Override
        String address() {
            return restUrl() + " (web UI)";
        }

        @Override
        boolean answers() {
            return Ports.answers(REST_PORT) && overview().isPresent();
        }
    }

    /** The TaskManager: 4 slots; ready once the JobManager lists it. */
    static final class TaskManager extends FlinkProcess {
        TaskManager(StackLayout layout, FlinkCluster cluster) {
            super(
                    layout,
                    cluster,
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    "GET_TM_RESOURCE_PARAMS");
        }

        @Override
        String name() {
            return "flink-taskmanager";
        }

        @Override
        List<Integer> ports() {
            return List.of(); // RPC and data ports are chosen by the kernel on 127.0.0.1
        }

        @Override
        String address() {
            return SLOTS + " slots";
        }

        /** A TaskManager is only useful once registered with the JobManager. */
        @Override
        boolean answers() {
            return Ports.answers(REST_PORT)
                    && overview().map(o -> o.path("taskmanagers").asInt(0) >= 1).orElse(false);
        }
    }
}
