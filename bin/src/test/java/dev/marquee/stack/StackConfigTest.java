package dev.marquee.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fast checks of what the stack generates and of the /proc readings it relies on, without starting
 * anything: every address is the loopback one, and the process bookkeeping finds what it should
 * (and nothing it should not).
 */
class StackConfigTest {
    @TempDir Path home;

    private StackLayout layout() {
        return StackLayout.of(new MarqueeHome(home));
    }

    @Test
    void kafkaListensOnLoopbackOnlyAndKeepsItsDataInTheStackFolder() {
        String config = new KafkaBroker(layout(), new MarqueeHome(home)).serverConfig();
        assertThat(config)
                .contains("listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093")
                .contains("advertised.listeners=PLAINTEXT://127.0.0.1:9092")
                .contains("controller.quorum.voters=1@127.0.0.1:9093")
                .contains("log.dirs=" + layout().kafkaData())
                .contains("offsets.topic.replication.factor=1")
                .contains("transaction.state.log.min.isr=1")
                .contains("share.coordinator.state.topic.replication.factor=1")
                .doesNotContain("0.0.0.0")
                .doesNotContain("localhost");
    }

    @Test
    void flinkBindsEverythingToLoopbackAndSetsTheJobContract() {
        String config = new FlinkCluster(layout(), new MarqueeHome(home)).config();
        assertThat(config)
                .contains("jobmanager.rpc.address: 127.0.0.1")
                .contains("jobmanager.bind-host: 127.0.0.1")
                .contains("taskmanager.host: 127.0.0.1")
                .contains("taskmanager.bind-host: 127.0.0.1")
                .contains("rest.address: 127.0.0.1")
                .contains("rest.bind-address: 127.0.0.1")
                .contains("rest.port: 8081")
                .contains("taskmanager.numberOfTaskSlots: 4")
                .contains("state.backend.type: rocksdb")
                .contains("execution.checkpointing.incremental: true")
                .contains("execution.checkpointing.interval: 10s")
                .contains("pipeline.auto-generate-uids: false")
                .contains("pipeline.generic-types: false")
                .contains(layout().flink().resolve("checkpoints").toUri().toString())
                .doesNotContain("0.0.0.0")
                .doesNotContain("localhost");
    }

    @Test
    void registryBindsHttpAndManagementToLoopbackWithBackwardCompatibilityAndAFileDatabase() {
        List<String> cmd =
                RegistryServer.command(
                        Path.of("/usr/bin/java"),
                        new MarqueeHome(home),
                        home.resolve("data"),
                        8085,
                        home.resolve("registry.log"),
                        List.of("-Dmarquee.stack=registry"));
        assertThat(cmd)
                .contains(
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.http.port=8085",
                        "-Dquarkus.management.host=127.0.0.1",
                        "-Dapicurio.rules.global.compatibility=BACKWARD",
                        "-Dapicurio.storage.kind=sql",
                        "-Dmarquee.stack=registry")
                .anySatisfy(
                        a ->
                                assertThat(a)
                                        .startsWith(
                                                "-Dapicurio.datasource.url=jdbc:h2:file:"
                                                        + home.resolve("data")));
        assertThat(String.join(" ", cmd)).doesNotContain("0.0.0.0");
    }

    @Test
    void procReadingsFindThisJvmsListenerAndMemory() throws Exception {
        long self = ProcessHandle.current().pid();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            int port = socket.getLocalPort();
            assertThat(Ports.isFree(port)).isFalse();
            assertThat(Ports.answers(port)).isTrue();
            assertThat(ProcessTable.listenerPid(port)).hasValue(self);
            assertThat(ProcessTable.listeningAddresses(self))
                    .contains(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        }
        assertThat(ProcessTable.rssBytes(self)).isGreaterThan(1024 * 1024);
        assertThat(ProcessTable.isAlive(self)).isTrue();
        assertThat(ProcessTable.commandLine(self))
                .hasValueSatisfying(args -> assertThat(args).isNotEmpty());
    }

    @Test
    void aPidFileOfAnUnrelatedProcessIsNotMistakenForTheComponent() throws Exception {
        KafkaBroker kafka = new KafkaBroker(layout(), new MarqueeHome(home));
        // This JVM is alive but carries no marker: as after a reboot that reused the pid.
        kafka.writePidFile(ProcessHandle.current().pid());
        assertThat(kafka.runningPid()).isEmpty();
        kafka.deletePidFile();
        assertThat(Files.exists(kafka.pidFile())).isFalse();
    }

    @Test
    void readsTheJavaVersionFromAJdksReleaseFile() throws Exception {
        Path jdk = home.resolve("jdk");
        Files.createDirectories(jdk);
        Files.writeString(jdk.resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.3\"\n");
        assertThat(JavaRuntime.featureVersion(jdk)).contains(25);
        Files.writeString(jdk.resolve("release"), "JAVA_VERSION=\"1.8.0_402\"\n");
        assertThat(JavaRuntime.featureVersion(jdk)).contains(8);
        assertThat(JavaRuntime.featureVersion(home.resolve("none"))).isEmpty();
    }

    @Test
    void picksTheNewestJdkThatIsNewEnoughAndOtherwiseSaysWhatToInstall() throws Exception {
        Path jvms = home.resolve("jvm");
        Files.createDirectories(jvms);
        assertThatThrownBy(() -> JavaRuntime.atLeast(21, "the registry", null, 17, jvms))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("the registry needs Java 21 or newer")
                .hasMessageContaining("install a JDK 21+")
                .hasMessageContaining("JAVA21_HOME");
        fakeJdk(jvms.resolve("java-17"), "17.0.15");
        Path jdk21 = fakeJdk(jvms.resolve("jdk-21"), "21.0.7");
        Path jdk25 = fakeJdk(jvms.resolve("temurin-25"), "25.0.3");
        assertThat(JavaRuntime.atLeast(21, "x", null, 17, jvms))
                .isEqualTo(jdk25.resolve("bin/java"));
        assertThat(JavaRuntime.atLeast(21, "x", jdk21.toString(), 17, jvms))
                .isEqualTo(jdk21.resolve("bin/java"));
        assertThatThrownBy(
                        () ->
                                JavaRuntime.atLeast(
                                        21, "x", jvms.resolve("java-17").toString(), 17, jvms))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("is Java 17");
        assertThat(JavaRuntime.atLeast(21, "x", null, 21, jvms)).isEqualTo(JavaRuntime.current());
    }

    private static Path fakeJdk(Path dir, String version) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Path java = Files.writeString(dir.resolve("bin/java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return dir;
    }
}
