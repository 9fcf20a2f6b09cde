package dev.marquee.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeasuredJvmTest {
    @TempDir Path dir;

    @Test
    void aChildThatFailsEndsTheWaitWithItsReasonAndRelaysWhatItPrinted() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // Nothing listens here: the child must fail on the unknown mode before it connects.
        Endpoints endpoints = new Endpoints("127.0.0.1:1", "http://127.0.0.1:1", null);
        BenchContext context =
                new BenchContext(
                        MarqueeHome.detect(),
                        dir,
                        endpoints,
                        new TopicClients(endpoints),
                        new PrintStream(log, true, StandardCharsets.UTF_8),
                        new ObjectMapper(),
                        1.0,
                        Duration.ZERO,
                        Duration.ofSeconds(10));

        try (MeasuredJvm jvm = MeasuredJvm.job(context, "no-such-job", "t", 1, 1)) {
            assertThatThrownBy(jvm::go)
                    .hasMessageContaining("measured JVM")
                    .hasMessageContaining("no-such-job");
        }
        // the child's stack trace came through as progress lines, not as protocol
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("IllegalArgumentException")
                .doesNotContain(MeasuredJvmMain.TAG);
    }

    @Test
    void aFedProgressReadsTheSteadyRateAndTheJitShareOffTheSamplesItWasGiven() throws Exception {
        JobProgress progress = new JobProgress();
        long second = 1_000_000_000L;
        progress.add(new JobProgress.Sample(0, 0, 100));
        progress.add(new JobProgress.Sample(second, 1_000, 100));
        progress.add(new JobProgress.Sample(3 * second, 5_000, 300));
        progress.add(new JobProgress.Sample(4 * second, 6_000, 300));

        assertThat(progress.latest()).isEqualTo(6_000);
        // from the first sample with a record to the last before the total: 4,000 in 2 s
        assertThat(progress.steadyRate(6_000)).isEqualTo(2_000.0);
        assertThat(progress.steadySeconds(1, 6_000)).isEqualTo(2.0);
        // 200 ms of compiling over those 2 s
        assertThat(progress.jitShare(1, 6_000)).isEqualTo(0.1);
        progress.close();
    }
}
