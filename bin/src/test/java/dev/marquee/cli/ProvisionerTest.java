package dev.marquee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

/**
 * The local topics' settings: records carry event times (fixed sample dates, simulated evenings, a
 * clock years ahead), so nothing on the local stack may be deleted by age.
 */
class ProvisionerTest {
    @Test
    void noLocalTopicDeletesRecordsByTheirTimestamp() {
        for (NewTopic topic : Provisioner.newTopics()) {
            var configs = topic.configs();
            boolean compacted =
                    TopicConfig.CLEANUP_POLICY_COMPACT.equals(
                            configs.get(TopicConfig.CLEANUP_POLICY_CONFIG));
            if (!compacted) {
                assertThat(configs)
                        .as(topic.name())
                        .containsEntry(TopicConfig.RETENTION_MS_CONFIG, "-1");
            }
            assertThat(
                            Long.parseLong(
                                    configs.get(TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG)))
                    .as(topic.name() + " accepts the demo clock's timestamps years ahead")
                    .isGreaterThan(5L * 365 * 24 * 3600 * 1000);
        }
    }
}
