package dev.marquee.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.SimpleCounter;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.groups.UnregisteredMetricGroups;
import org.junit.jupiter.api.Test;

class InJvmCountersTest {
    @Test
    void holdsTaskRecordCountersWhileTheirTaskRunsAndSumsThemLive() {
        MetricReporter reporter = new InJvmCounters().createMetricReporter(new Properties());
        TaskMetricGroup task = UnregisteredMetricGroups.createUnregisteredTaskMetricGroup();
        String jobId = task.getAllVariables().get("<job_id>");
        String taskName = task.getAllVariables().get("<task_name>");
        int before = InJvmCounters.held();

        Counter out = new SimpleCounter();
        Counter operatorOut = new SimpleCounter();
        reporter.notifyOfAddedMetric(out, "numRecordsOut", task.getIOMetricGroup());
        // an operator's own counter is not the task's: left out, or a chain would count twice
        reporter.notifyOfAddedMetric(
                operatorOut, "numRecordsOut", task.getOrAddOperator("map").getIOMetricGroup());
        reporter.notifyOfAddedMetric(new SimpleCounter(), "numBytesOut", task.getIOMetricGroup());
        assertThat(InJvmCounters.held()).isEqualTo(before + 1);

        out.inc(5);
        operatorOut.inc(100);
        assertThat(InJvmCounters.sum(jobId, taskName.substring(0, 4), "numRecordsOut"))
                .isEqualTo(5);
        out.inc(2);
        assertThat(InJvmCounters.sum(jobId, taskName, "numRecordsOut")).isEqualTo(7);
        assertThat(InJvmCounters.sum(jobId, "no such task", "numRecordsOut")).isZero();
        assertThat(InJvmCounters.sum(jobId, taskName, "numRecordsIn")).isZero();

        reporter.notifyOfRemovedMetric(out, "numRecordsOut", task.getIOMetricGroup());
        assertThat(InJvmCounters.held()).isEqualTo(before);
        assertThat(InJvmCounters.sum(jobId, taskName, "numRecordsOut")).isZero();
    }
}
