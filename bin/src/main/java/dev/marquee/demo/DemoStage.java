package dev.marquee.demo;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.RecordPublisher;
import dev.marquee.cli.TopicClients;
import dev.marquee.jobs.common.JobSettings;
import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * One job's part in {@code marquee demo}. The demo runs every stage's topology in one Flink
 * MiniCluster (one job graph, so one web UI shows them all). Each stage publishes its sample input
 * before the job starts, then anything that must arrive while it runs, waits for its outputs and,
 * with {@code --check}, verifies them through other readers.
 *
 * <p>A stage owns its sample data and its expectations; the demo command only sequences stages, so
 * a new job joins the demo by adding one class to {@link DemoCommand#STAGES}.
 */
public interface DemoStage {

    /** Short name for progress lines, e.g. "rights lifecycle". */
    String name();

    /** One line saying what sample input the stage replays. */
    String describe();

    /**
     * Adds the stage's job (sources, topology, sinks) to the demo's environment. Operator uids must
     * be unique across all stages: prefix them with the job name.
     */
    void wire(StreamExecutionEnvironment env, JobSettings settings) throws Exception;

    /**
     * Publishes the stage's sample input; called before the job starts, so every source finds its
     * input waiting. A source started on empty partitions marks them idle, and records that then
     * arrive partition by partition race the watermark: the first partition's records move it while
     * the others, still idle, are left out of it, and their older records come in late.
     */
    void publish(RecordPublisher publisher, TopicClients clients, PrintStream out) throws Exception;

    /**
     * Publishes what must reach the job while it runs (a later feed that moves event time on once
     * the first has gone quiet); called once the job is submitted. Most stages have nothing here.
     */
    default void publishLive(RecordPublisher publisher, TopicClients clients, PrintStream out)
            throws Exception {}

    /**
     * Reads the stage's output topics (read_committed) until everything expected arrived or the
     * deadline passes, prints a short human summary, and returns one message per mismatch (empty
     * when the stage produced exactly what it should).
     */
    List<String> await(TopicClients clients, Instant deadline, PrintStream out) throws Exception;

    /**
     * Extra checks for {@code demo --check} (the SQL client, an independent reader); returns one
     * message per failure.
     */
    default List<String> check(MarqueeHome home, Endpoints endpoints, PrintStream out)
            throws Exception {
        return List.of();
    }

    /** Commands worth trying while the demo stays up ("read a topic: bin/marquee consume ..."). */
    default List<String> hints() {
        return List.of();
    }
}
