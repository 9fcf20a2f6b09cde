package dev.marquee.stack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.Main;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.registry.RegistryConfig;
import dev.marquee.registry.SchemaRegistryClient;
import dev.marquee.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code stack up / status / down} end to end through the command line, on the real fixed ports
 * (9092, 9093, 8085, 8081, 6123) but with every file in a sandbox: a temporary Marquee home whose
 * {@code bin/runtime} is a symbolic link to the project's built runtimes, so the test uses the real
 * classpaths while its {@code .marquee/} (data, logs, pid files, endpoints.json) never touches the
 * developer's. Skipped, with the reason, when another program holds one of the ports (a developer's
 * own stack, say); always leaves no process behind.
 */
class StackIT {
    private static final List<Integer> PORTS =
            List.of(
                    KafkaBroker.PORT,
                    KafkaBroker.CONTROLLER_PORT,
                    RegistryComponent.PORT,
                    FlinkCluster.REST_PORT,
                    FlinkCluster.RPC_PORT);
    private static final String PROBE_TOPIC = "stackit.probe";
    private static final String PROBE_SUBJECT = "stackit.probe-value";
    private static final Schema PROBE_SCHEMA =
            SchemaBuilder.record("Probe")
                    .namespace("dev.marquee.it")
                    .fields()
                    .requiredString("note")
                    .endRecord();

    private static Path sandbox;
    private static String previousHome;
    private static Thread cleanupHook;

    @BeforeAll
    static void sandboxHome() throws IOException {
        List<String> taken = new ArrayList<>();
        for (int port : PORTS) {
            if (!Ports.isFree(port)) {
                OptionalLong owner = ProcessTable.listenerPid(port);
                taken.add(
                        port
                                + (owner.isPresent()
                                        ? " (" + ProcessTable.describe(owner.getAsLong()) + ")"
                                        : ""));
            }
        }
        Assumptions.assumeTrue(
                taken.isEmpty(),
                () ->
                        "skipping StackIT: the stack's fixed ports are taken by something else: "
                                + taken);

        Path realHome = MarqueeHome.detect().root();
        sandbox = Files.createTempDirectory("marquee-stackit-");
        Files.createDirectories(sandbox.resolve("bin"));
        Files.createSymbolicLink(sandbox.resolve("bin/runtime"), realHome.resolve("bin/runtime"));
        previousHome = System.getProperty("marquee.home");
        System.setProperty("marquee.home", sandbox.toString());
        // If the JVM is stopped mid-test (SIGTERM, Ctrl-C), still take the stack down.
        cleanupHook = new Thread(StackIT::killSandboxProcesses, "stackit-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    @AfterAll
    static void tearDown() throws IOException {
        if (sandbox == null) {
            return; // skipped
        }
        try {
            run("stack", "down", "--purge");
        } finally {
            killSandboxProcesses();
            if (previousHome == null) {
                System.clearProperty("marquee.home");
            } else {
                System.setProperty("marquee.home", previousHome);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException e) {
                // shutting down
            }
            // The link first, so nothing below can ever reach the real runtimes.
            Files.deleteIfExists(sandbox.resolve("bin/runtime"));
            LocalStack.deleteRecursively(sandbox);
        }
    }

    @Test
    void upStatusDownAndUpAgainKeepsTopicsSchemasAndRecords() throws Exception {
        MarqueeHome home = new MarqueeHome(sandbox);
        StackLayout layout = StackLayout.of(home);

        Result up = run("stack", "up");
        assertThat(up.exit()).as(up.out()).isZero();
        assertThat(up.out())
                .contains("kafka", "registry", "flink-jobmanager", "flink-taskmanager", "ready in");
        assertThat(Endpoints.file(home)).exists();

        Result status = run("stack", "status");
        assertThat(status.exit()).as(status.out()).isZero();
        Map<String, Long> pids = pidsOf(status.out());
        assertThat(pids)
                .containsOnlyKeys("kafka", "registry", "flink-jobmanager", "flink-taskmanager");
        for (long pid : pids.values()) {
            RegistryServerIT.assertOnlyLoopback(pid);
        }

        Result again = run("stack", "up");
        assertThat(again.exit()).as(again.out()).isZero();
        assertThat(again.out().lines().filter(l -> l.contains("already running")).count())
                .isEqualTo(4);
        assertThat(pidsOf(run("stack", "status").out())).isEqualTo(pids);

        // Something of our own in Kafka and the registry, which only persistence can bring back.
        SchemaRegistryClient registry =
                new SchemaRegistryClient(RegistryConfig.of(Endpoints.DEFAULT_REGISTRY));
        int probeId = registry.register(PROBE_SUBJECT, PROBE_SCHEMA);
        String firstTopic = Topic.allNames().get(0);
        String titles = Topic.subjectOf(firstTopic);
        int titlesId = registry.lookup(titles, Topic.schemaForName(firstTopic));
        try (Admin admin = Admin.create(Provisioner.adminProperties(Endpoints.DEFAULT_BOOTSTRAP))) {
            admin.createTopics(List.of(new NewTopic(PROBE_TOPIC, 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = producer()) {
            producer.send(new ProducerRecord<>(PROBE_TOPIC, "k", "survives down/up"))
                    .get(30, TimeUnit.SECONDS);
        }

        Result down = run("stack", "down");
        assertThat(down.exit()).as(down.out()).isZero();
        assertThat(down.out()).doesNotContain("killed after");
        assertThat(Endpoints.file(home)).doesNotExist();
        assertThat(layout.pids()).isEmptyDirectory();
        assertThat(layout.kafkaData().resolve(".kafka_cleanshutdown"))
                .as("Kafka shut down cleanly")
                .exists();

        Result stopped = run("stack", "status");
        assertThat(stopped.exit()).as(stopped.out()).isEqualTo(StackCommand.EXIT_NONE_RUNNING);
        assertThat(stopped.out()).doesNotContain("running").doesNotContain("pid ");
        assertThat(sandboxProcesses()).as("processes with the sandbox's marker").isEmpty();
        for (long pid : pids.values()) {
            assertThat(ProcessTable.isAlive(pid)).isFalse();
        }
        for (int port : PORTS) {
            assertThat(Ports.isFree(port)).as("port %d free after down", port).isTrue();
        }

        Result up2 = run("stack", "up");
        assertThat(up2.exit()).as(up2.out()).isZero();
        assertThat(up2.out()).contains("(0 new)");
        try (Admin admin = Admin.create(Provisioner.adminProperties(Endpoints.DEFAULT_BOOTSTRAP))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).containsAll(Topic.allNames()).contains(PROBE_TOPIC);
        }
        SchemaRegistryClient fresh =
                new SchemaRegistryClient(RegistryConfig.of(Endpoints.DEFAULT_REGISTRY));
        assertThat(fresh.subjects()).contains(PROBE_SUBJECT, titles);
        assertThat(fresh.schemaById(probeId)).isEqualTo(PROBE_SCHEMA);
        assertThat(fresh.lookup(titles, Topic.schemaForName(firstTopic))).isEqualTo(titlesId);
        try (KafkaConsumer<String, String> consumer = consumer()) {
            consumer.subscribe(List.of(PROBE_TOPIC));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    values.add(r.value());
                }
            }
            assertThat(values).containsExactly("survives down/up");
        }
    }

    private static Map<String, Long> pidsOf(String statusOutput) {
        Map<String, Long> pids = new java.util.TreeMap<>();
        for (String line : statusOutput.split("\\R")) {
            String[] f = line.trim().split("\\s+");
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("pid")) {
                    pids.put(f[0], Long.parseLong(f[i + 1]));
                }
            }
        }
        return pids;
    }

    private static KafkaProducer<String, String> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Endpoints.DEFAULT_BOOTSTRAP);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Endpoints.DEFAULT_BOOTSTRAP);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "stackit-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
    }

    private static List<Long> sandboxProcesses() {
        String marker =
                "-D" + Component.MARKER_DIR + "=" + StackLayout.of(new MarqueeHome(sandbox)).root();
        return ProcessTable.find(args -> args.contains(marker));
    }

    private static void killSandboxProcesses() {
        for (long pid : sandboxProcesses()) {
            ProcessTable.stop(pid, Duration.ofSeconds(20));
        }
    }

    record Result(int exit, String out) {}

    /** Runs the CLI in this JVM, capturing stdout (and still showing it in the test log). */
    private static Result run(String... args) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream tee =
                new PrintStream(
                        new OutputStream() {
                            @Override
                            public void write(int b) {
                                captured.write(b);
                                original.write(b);
                            }

                            @Override
                            public void write(byte[] b, int off, int len) {
                                captured.write(b, off, len);
                                original.write(b, off, len);
                            }
                        },
                        true,
                        StandardCharsets.UTF_8);
        System.setOut(tee);
        try {
            original.println("$ marquee " + String.join(" ", args));
            int exit = Main.execute(args);
            tee.flush();
            return new Result(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(original);
        }
    }
}
