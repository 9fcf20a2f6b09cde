package dev.marquee.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.rights.AuditChain;
import dev.marquee.schema.AuditKind;
import dev.marquee.schema.RightsAuditRecord;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.flink.formats.avro.RegistryAvroSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** audit verify on a real broker: an intact chain passes, a tampered one is named and fails. */
@ExtendWith(Platform.class)
class AuditVerifyIT {

    @Test
    void findsTheRecordWhereAChainBreaks() throws Exception {
        Endpoints endpoints = Platform.endpoints();
        TopicClients clients = new TopicClients(endpoints);
        String topic = Topic.RIGHTS_AUDIT.topicName();
        var serializer =
                RegistryAvroSerializationSchema.forSpecific(
                        RightsAuditRecord.class,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(topic), clients.registryConfig()));
        String good = "c-audit-good-" + System.nanoTime();
        String bad = "c-audit-bad-" + System.nanoTime();
        try (var producer = clients.producer()) {
            for (String contentId : new String[] {good, bad}) {
                String previous = null;
                for (int i = 1; i <= 3; i++) {
                    RightsAuditRecord r =
                            AuditChain.append(
                                    contentId,
                                    i,
                                    AuditKind.TRANSITION,
                                    "r-1",
                                    1L,
                                    "JP",
                                    "opened " + i,
                                    Instant.parse("2028-03-15T00:00:00Z").plusSeconds(i),
                                    previous);
                    previous = r.getHash();
                    if (contentId.equals(bad) && i == 2) {
                        r.setDetail("closed " + i); // edited after hashing
                    }
                    producer.send(new ProducerRecord<>(topic, contentId, serializer.serialize(r)))
                            .get();
                }
            }
        }
        String[] args = {
            "audit",
            "verify",
            "--bootstrap-servers",
            endpoints.bootstrapServers(),
            "--registry-url",
            endpoints.registryUrl()
        };

        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int all;
        int one;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            all = Main.execute(args);
            one =
                    Main.execute(
                            "audit",
                            "verify",
                            good,
                            "--bootstrap-servers",
                            endpoints.bootstrapServers(),
                            "--registry-url",
                            endpoints.registryUrl());
        } finally {
            System.setOut(stdout);
        }
        String output = captured.toString(StandardCharsets.UTF_8);
        assertThat(all).isEqualTo(1);
        assertThat(one).isZero();
        assertThat(output).contains("\"contentId\":\"" + good + "\",\"records\":3,\"intact\":true");
        assertThat(output)
                .contains(
                        "\"contentId\":\""
                                + bad
                                + "\",\"records\":3,\"intact\":false,\"problem\":\""
                                + bad
                                + " #2: hash does not match its content");
    }
}
