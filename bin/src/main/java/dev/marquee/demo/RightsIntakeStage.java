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
        RightsIntakeJob.wire(env, jobSettings, settings);
    }

    @Override
    public void publish(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws Exception {
        publisher.publishJsonLines(Topic.RIGHTS_EVENTS.topicName(), slate.rights(), "demo slate");
        publisher.publishRaw(
                Topic.RIGHTS_EVENTS.topicName(),
                "r-garbled",
                "this is not Avro".getBytes(StandardCharsets.UTF_8),
                slate.lastSlateInstant());
        // Time moves with the data: the next feed, once the first has gone quiet, advances event
        // time past the slate's hours so their windows close.
        Thread.sleep(settings.idleness().toMillis() + 2000);
        publisher.publishJsonLines(
                Topic.RIGHTS_EVENTS.topicName(), slate.laterRights(), "later feed");
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
