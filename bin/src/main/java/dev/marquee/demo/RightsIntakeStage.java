package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import dev.marquee.jobs.rightsintake.RightsIntakeJob;
import dev.marquee.jobs.rightsintake.RightsIntakeTopology;
import dev.marquee.topics.Topic;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The rights-intake job's part in the demo: the sample slate's rights, one record that is not Avro
 * and a later feed; every valid right counted per territory, every bad one dead-lettered.
 */
public final class RightsIntakeStage implements DemoStage {
    private final DemoSlate slate;
    private final RightsIntakeTopology.Settings settings = DemoSlate.intakeSettings();
    private DemoResults results;
    private String groupId;

    /** The payload of the slate's one record that is not Avro. */
    public static final String NOT_AVRO = "this is not Avro";

    /** How long the later feed waits for the job to have read the slate. */
    static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    public RightsIntakeStage() {
        try {
            this.slate = DemoSlate.load();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return RightsIntakeTopology.JOB;
    }

    @Override
    public String describe() {
        return slate.describe();
    }

    @Override
    public void wire(StreamExecutionEnvironment env, JobSettings jobSettings) {
        groupId = RightsIntakeJob.groupId(jobSettings);
        RightsIntakeJob.wire(env, jobSettings, settings);
    }

    @Override
    public void publish(RecordPublisher publisher, TopicClients clients, PrintStream out) {
        publishSlate(publisher, slate);
    }

    @Override
    public void publishLive(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws InterruptedException {
        if (!publishLaterFeed(publisher, clients, slate, groupId, settings)) {
            out.printf(
                    "      %s: the job had not read the slate after %d s; the later feed goes"
                            + " anyway%n",
                    name(), READ_TIMEOUT.toSeconds());
        }
    }

    /** The slate's rights and one record that is not Avro, stamped at the slate's last instant. */
    public static void publishSlate(RecordPublisher publisher, DemoSlate slate) {
        publisher.publishJsonLines(Topic.RIGHTS_EVENTS.topicName(), slate.rights(), "demo slate");
        publisher.publishRaw(
                Topic.RIGHTS_EVENTS.topicName(),
                "r-garbled",
                NOT_AVRO.getBytes(StandardCharsets.UTF_8),
                slate.lastSlateInstant());
    }

    /**
     * The next feed, once the job has read the slate and its partitions have gone quiet: time moves
     * with the data, and only a partition that is still active can move the watermark past the
     * slate's hours so their windows close (Flink leaves idle partitions out of the watermark, and
     * does not move it at all while every partition is idle). Sent before the job had read the
     * slate, it could reach a partition the job is reading ahead of the others.
     *
     * @return false when the job had not committed the slate's offsets within {@link #READ_TIMEOUT}
     *     (the feed is sent all the same)
     */
    public static boolean publishLaterFeed(
            RecordPublisher publisher,
            TopicClients clients,
            DemoSlate slate,
            String groupId,
            RightsIntakeTopology.Settings settings)
            throws InterruptedException {
        boolean read =
                clients.awaitCommitted(groupId, Topic.RIGHTS_EVENTS.topicName(), READ_TIMEOUT);
        Thread.sleep(settings.idleness().toMillis() + 1000);
        publisher.publishJsonLines(
                Topic.RIGHTS_EVENTS.topicName(), slate.laterRights(), "later feed");
        return read;
    }

    @Override
    public List<String> await(TopicClients clients, Instant deadline, PrintStream out)
            throws Exception {
        results = DemoResults.await(clients, slate, DemoCommand.remaining(deadline), out);
        results.print(out);
        return results.failures();
    }

    @Override
    public List<String> check(MarqueeHome home, Endpoints endpoints, PrintStream out)
            throws Exception {
        List<String> failures = new ArrayList<>();
        if (results != null) {
            failures.addAll(new DemoCheck(home, endpoints, slate, results, out).run());
        }
        return failures;
    }

    @Override
    public List<String> hints() {
        return List.of(
                "read a topic:   bin/marquee consume rights.intake.counts --from-beginning",
                "dead letters:   bin/marquee consume rights.events.dlq --from-beginning",
                "SQL:            bin/marquee sql   (then: SELECT * FROM rights_intake_counts;)");
    }
}
