package dev.marquee.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.rights.AuditChain;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.topics.Topic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code audit verify [contentId]}: reads rights.audit from the beginning (committed records only)
 * and checks every key's hash chain, one JSON line per chain. Exits 1 when a chain is broken,
 * naming the record where it breaks.
 */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check the rights.audit hash chains.",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Verify every chain (or one title's); exit 1 if one is broken.")
    static final class Verify implements Callable<Integer> {
        @Parameters(
                arity = "0..1",
                paramLabel = "CONTENT_ID",
                description = "Only this title's chain")
        String contentId;

        @Mixin ClientOptions client = new ClientOptions();

        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public Integer call() throws Exception {
            String topic = Topic.RIGHTS_AUDIT.topicName();
            TopicClients clients = new TopicClients(client.endpoints());
            clients.requireTopicExists(topic);
            clients.requireRegistry();
            Map<String, List<RightsAuditRecord>> chains = readChains(clients, topic);
            if (contentId != null && !chains.containsKey(contentId)) {
                throw new UserError("no audit records for content '" + contentId + "' on " + topic);
            }
            int broken = 0;
            for (var entry : chains.entrySet()) {
                if (contentId != null && !contentId.equals(entry.getKey())) {
                    continue;
                }
                AuditChain.Verdict verdict = AuditChain.verify(entry.getValue());
                ObjectNode line =
                        JSON.createObjectNode()
                                .put("contentId", entry.getKey())
                                .put("records", entry.getValue().size())
                                .put("intact", verdict.intact());
                if (!verdict.intact()) {
                    broken++;
                    line.put("problem", verdict.problem());
                }
                System.out.println(line);
            }
            System.err.printf(
                    "%d chain(s) checked, %d broken%n",
                    contentId == null ? chains.size() : 1, broken);
            return broken == 0 ? 0 : 1;
        }

        /**
         * Every record of the topic, grouped by key in log order (one key lives in one partition).
         */
        private static Map<String, List<RightsAuditRecord>> readChains(
                TopicClients clients, String topic) throws Exception {
            Map<String, List<RightsAuditRecord>> chains = new LinkedHashMap<>();
            for (RightsAuditRecord record : clients.readAll(topic, RightsAuditRecord.class)) {
                chains.computeIfAbsent(record.getContentId(), k -> new ArrayList<>()).add(record);
            }
            return chains;
        }
    }
}
