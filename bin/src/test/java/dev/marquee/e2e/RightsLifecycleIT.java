package dev.marquee.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.demo.DemoSlate;
import dev.marquee.demo.RightsLifecycleStage;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.common.Loopback;
import dev.marquee.jobs.rights.RightsLifecycleTopology;
import dev.marquee.schema.RightsTransition;
import dev.marquee.testing.OwnBroker;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rights lifecycle job end to end on a real broker, registry and MiniCluster, on the demo's
 * slate and accelerated clock: the job is stopped with a savepoint while windows are still years
 * ahead, restored (its timers come back from the savepoint: no rights event arrives after the
 * restore), and at the end every (title, country) timeline equals the offline evaluator's, each
 * transition exactly once; the DLQ holds the malformed, undecodable and unknown-content rights; the
 * propagation breaches, rights.open events and audit chains are as they should be.
 */
@ExtendWith(Platform.class)
class RightsLifecycleIT {

    @RegisterExtension static final MiniClusterExtension FLINK = Platform.miniCluster();

    @TempDir Path savepoints;

    /** A broker of its own: the clock-driven watermark must not see other tests' records. */
    @RegisterExtension static final OwnBroker BROKER = new OwnBroker();

    @Test
    void windowsOpenOnTimeAcrossAStopWithSavepointAndRestoreExactlyOnce() throws Exception {
        TopicClients clients = new TopicClients(BROKER.endpoints());
        RightsLifecycleStage stage =
                new RightsLifecycleStage(Duration.ofSeconds(45), Duration.ofSeconds(8));
        JobSettings settings =
                JobSettings.local(
                        BROKER.endpoints().bootstrapServers(),
                        BROKER.endpoints().registryUrl(),
                        Duration.ofSeconds(1),
                        "it-" + System.nanoTime());
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());

        JobClient first = start(stage, settings, null);
        DemoSlate slate = DemoSlate.load();
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            stage.publish(publisher, clients, quiet);
            publisher.publishJsonLines(Topic.RIGHTS_EVENTS.topicName(), slate.rights(), "slate");
            publisher.publishRaw(
                    Topic.RIGHTS_EVENTS.topicName(),
                    "r-garbled",
                    "not avro".getBytes(StandardCharsets.UTF_8),
                    slate.lastSlateInstant());
            publisher.publishJsonLines(
                    Topic.RIGHTS_EVENTS.topicName(), slate.laterRights(), "later");
        }

        // Let the first windows open (mid-2027 and later), then stop while most are ahead.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        List<RightsTransition> before = List.of();
        while (System.nanoTime() < deadline && before.size() < 3) {
            Thread.sleep(500);
            before = clients.readAll(Topic.RIGHTS_TRANSITIONS.topicName(), RightsTransition.class);
        }
        assertThat(before).as("some windows opened before the stop").hasSizeGreaterThanOrEqualTo(3);
        String savepoint =
                first.stopWithSavepoint(
                                false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                        .get();
        Instant stoppedAt = stage.simulatedNow();
        assertThat(Files.list(savepoints)).isNotEmpty();
        int expected = stage.expectedTransitions().values().stream().mapToInt(List::size).sum();
        assertThat(stoppedAt)
                .as("stopped with windows still ahead")
                .isBefore(Instant.parse("2030-01-01T00:00:00Z"));
        assertThat(before.size()).isLessThan(expected);

        JobClient second = start(stage, settings, savepoint);
        try {
            List<String> failures =
                    stage.await(clients, Instant.now().plus(Duration.ofSeconds(150)), quiet);
            assertThat(failures)
                    .as("transitions, rights.open, breaches, metrics, audit and DLQ after restore")
                    .isEmpty();
        } finally {
            second.cancel().get();
        }
    }

    private static JobClient start(
            RightsLifecycleStage stage, JobSettings settings, String savepoint) throws Exception {
        Configuration conf = new Configuration();
        if (savepoint != null) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
        }
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.bind(conf));
        env.setParallelism(2);
        stage.wire(env, settings);
        return env.executeAsync(RightsLifecycleTopology.JOB);
    }
}
