package dev.marquee.sql;

import dev.marquee.cli.MarqueeHome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Flink MiniCluster with a REST endpoint, in a child JVM, for tests that submit through the SQL
 * client.
 *
 * <p>Why not in the test JVM: the SQL client ships {@code flink-sql-connector-kafka} (Kafka
 * relocated) and {@code flink-sql-avro-confluent-registry} (Avro relocated) with every job. The bin
 * module's test classpath already holds the unshaded {@code flink-connector-kafka} and {@code
 * flink-avro} the jobs use, and Flink loads {@code org.apache.flink.*} parent-first, so a query
 * submitted to an in-process MiniCluster failed with {@code ClassCastException: cannot assign
 * instance of org.apache.flink.kafka.shaded...OffsetResetStrategy} (and, before that, {@code
 * ClassNotFoundException: CodeGenOperatorFactory}: flink-table-runtime is not on that classpath).
 * The child runs on {@code bin/runtime/flink/target/lib}, the same jars as the stack's cluster,
 * which carry neither.
 *
 * <p>The child ({@link MiniClusterChild}) prints {@code FLINK_REST_URL <url>} when it is up and
 * exits when its stdin closes, so it cannot outlive the test JVM.
 */
public final class ChildMiniCluster implements AutoCloseable {
    private static final String READY = MiniClusterChild.READY;

    private final Process process;
    private final String restUrl;

    private ChildMiniCluster(Process process, String restUrl) {
        this.process = process;
        this.restUrl = restUrl;
    }

    /** The REST URL the SQL client submits to, e.g. {@code http://127.0.0.1:43117}. */
    public String restUrl() {
        return restUrl;
    }

    /** Starts the child and waits until its REST endpoint answers. */
    public static ChildMiniCluster start(MarqueeHome home, Path logFile) throws IOException {
        Path lib = home.runtimeLib("flink");
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException(lib + " is missing: build bin/runtime/flink first");
        }
        Path testClasses;
        try {
            testClasses =
                    Path.of(
                            ChildMiniCluster.class
                                    .getProtectionDomain()
                                    .getCodeSource()
                                    .getLocation()
                                    .toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        int port = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx768m");
        cmd.addAll(SqlClientLauncher.JAVA_17_OPENS);
        cmd.add("-cp");
        cmd.add(testClasses + java.io.File.pathSeparator + lib.resolve("*"));
        cmd.add(MiniClusterChild.class.getName());
        cmd.add(Integer.toString(port));
        Files.createDirectories(logFile.getParent());
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        CompletableFuture<String> url = new CompletableFuture<>();
        Thread pump =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                            new BufferedReader(
                                                    new InputStreamReader(
                                                            process.getInputStream(),
                                                            StandardCharsets.UTF_8));
                                    var log =
                                            Files.newBufferedWriter(
                                                    logFile, StandardCharsets.UTF_8)) {
                                String line;
                                while ((line = r.readLine()) != null) {
                                    log.write(line);
                                    log.newLine();
                                    log.flush();
                                    if (line.startsWith(READY)) {
                                        url.complete(line.substring(READY.length()).strip());
                                    }
                                }
                            } catch (IOException e) {
                                // The child ended.
                            }
                            url.completeExceptionally(
                                    new IllegalStateException(
                                            "the MiniCluster child exited; see " + logFile));
                        },
                        "child-minicluster-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return new ChildMiniCluster(process, url.get(90, TimeUnit.SECONDS));
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException(
                    "the MiniCluster child did not start: "
                            + e.getMessage()
                            + " (log "
                            + logFile
                            + ")",
                    e);
        }
    }

    @Override
    public void close() {
        try {
            process.getOutputStream().close();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
