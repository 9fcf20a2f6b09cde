package dev.marquee.bench;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

/**
 * A metric reporter that keeps the record counters of every task in this JVM where a bench can read
 * them directly. A bench's job runs on a MiniCluster in the bench's own JVM, so the counters the
 * REST API would serve are plain objects here: reading one costs a field load. Reading them through
 * REST instead meant the metric fetcher serializing every metric of the cluster, the REST server
 * answering in JSON and the JIT compiling all of it, every 100 ms, on the same two cores as the
 * timed job: a JFR profile of playback-slo put a fifth of the machine's samples on the REST
 * endpoint and metric threads.
 *
 * <p>Registered by {@link #enable}; found by Flink through {@code META-INF/services}.
 */
public final class InJvmCounters implements MetricReporterFactory {
    /** The reporter's name in a cluster configuration. */
    static final String NAME = "bench-counters";

    private record TaskCounter(String jobId, String task, String subtask, String metric) {}

    private static final Map<TaskCounter, Counter> COUNTERS = new ConcurrentHashMap<>();

    /** Adds the reporter to a MiniCluster's configuration. */
    static Configuration enable(Configuration conf) {
        conf.setString(
                "metrics.reporter." + NAME + ".factory.class", InJvmCounters.class.getName());
        return conf;
    }

    /**
     * A task-level counter ({@code numRecordsIn}, {@code numRecordsOut}) of the job's vertex whose
     * name starts with {@code taskPrefix}, summed over its subtasks; 0 before the tasks run.
     */
    static long sum(String jobId, String taskPrefix, String metric) {
        long total = 0;
        for (Map.Entry<TaskCounter, Counter> e : COUNTERS.entrySet()) {
            TaskCounter c = e.getKey();
            if (c.jobId().equals(jobId)
                    && c.metric().equals(metric)
                    && c.task().startsWith(taskPrefix)) {
                total += e.getValue().getCount();
            }
        }
        return total;
    }

    /** How many counters are held now (a test that they go with their tasks). */
    static int held() {
        return COUNTERS.size();
    }

    @Override
    public MetricReporter createMetricReporter(Properties properties) {
        return new Reporter();
    }

    private static final class Reporter implements MetricReporter {
        @Override
        public void open(MetricConfig config) {}

        @Override
        public void close() {}

        @Override
        public void notifyOfAddedMetric(Metric metric, String metricName, MetricGroup group) {
            TaskCounter key = key(metric, metricName, group);
            if (key != null) {
                COUNTERS.put(key, (Counter) metric);
            }
        }

        @Override
        public void notifyOfRemovedMetric(Metric metric, String metricName, MetricGroup group) {
            TaskCounter key = key(metric, metricName, group);
            if (key != null) {
                COUNTERS.remove(key, metric);
            }
        }

        /** Only the task-level record counters (an operator's group names its operator). */
        private static TaskCounter key(Metric metric, String metricName, MetricGroup group) {
            if (!(metric instanceof Counter)
                    || !(metricName.equals("numRecordsIn") || metricName.equals("numRecordsOut"))) {
                return null;
            }
            Map<String, String> vars = group.getAllVariables();
            String task = vars.get("<task_name>");
            if (task == null || vars.containsKey("<operator_name>")) {
                return null;
            }
            return new TaskCounter(
                    vars.get("<job_id>"), task, vars.get("<subtask_index>"), metricName);
        }
    }
}
