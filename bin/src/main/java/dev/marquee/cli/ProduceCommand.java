package dev.marquee.cli;

import dev.marquee.registry.RegistryException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code produce TOPIC FILE}: JSON lines in, Avro on the topic. Every line is checked against the
 * topic's schema before anything is sent, so a file with one bad line sends nothing and the error
 * names the line, the field and why.
 */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description =
                "JSON lines in, Avro (Confluent wire format) on the topic. FILE '-' reads stdin.")
public final class ProduceCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "TOPIC", description = "Topic name, e.g. rights.events")
    String topicName;

    @Parameters(index = "1", paramLabel = "FILE", description = "JSON lines, one record per line")
    String file;

    @Mixin ClientOptions client = new ClientOptions();

    @Override
    public Integer call() throws Exception {
        TopicClients.requireKnown(topicName);
        List<String> lines = readLines();
        List<GenericRecord> records = RecordPublisher.parseJsonLines(topicName, lines, file);
        TopicClients clients = new TopicClients(client.endpoints());
        clients.requireTopicExists(topicName);
        clients.requireRegistry();
        int sent;
        try (RecordPublisher publisher = new RecordPublisher(clients)) {
            sent = publisher.publish(topicName, records);
        } catch (RegistryException e) {
            throw new UserError(
                    "the registry refused the schema for " + topicName + ": " + e.getMessage());
        }
        System.err.printf("produced %d record(s) to %s%n", sent, topicName);
        return 0;
    }

    private List<String> readLines() throws IOException {
        if ("-".equals(file)) {
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                return reader.lines().toList();
            }
        }
        Path path = MarqueeHome.detect().userFile(Path.of(file));
        if (!Files.isRegularFile(path)) {
            throw new UserError("no such file: " + file);
        }
        return Files.readAllLines(path, StandardCharsets.UTF_8);
    }
}
