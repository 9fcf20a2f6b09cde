package dev.marquee.metadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.cli.ClientOptions;
import dev.marquee.cli.Endpoints;
import dev.marquee.cli.TopicClients;
import dev.marquee.topics.Topic;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code metadata reconcile}: replays the whole feed history through the normalization topology
 * (bounded, in this process) and reports every difference from the live catalog.titles, one JSON
 * line each. Exit 0 when there is none, 1 when there are differences, 2 when the stack is not up.
 */
@Command(
        name = "reconcile",
        mixinStandardHelpOptions = true,
        description =
                "Recompute the catalog from the full feed history and report every difference from"
                        + " the live catalog.titles. Exit 0 none, 1 differences.")
final class ReconcileCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        Endpoints endpoints = client.endpoints();
        TopicClients clients = new TopicClients(endpoints);
        clients.requireTopicExists(Topic.METADATA_FEED_RAW.topicName());
        clients.requireRegistry();
        Reconciliation.Report report = Reconciliation.run(endpoints);
        for (Reconciliation.Difference d : report.differences()) {
            ObjectNode line =
                    JSON.createObjectNode()
                            .put("contentId", d.contentId())
                            .put("difference", d.kind());
            d.fields().forEach(line.putArray("fields")::add);
            System.out.println(line);
        }
        System.err.printf(
                "reconcile: %d title(s) recomputed from the feed history, %d live in %s, %d"
                        + " difference(s)%n",
                report.replayedTitles(),
                report.liveTitles(),
                Topic.CATALOG_TITLES.topicName(),
                report.differences().size());
        return report.differences().isEmpty() ? 0 : 1;
    }
}
