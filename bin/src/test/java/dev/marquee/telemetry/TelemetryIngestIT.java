package dev.marquee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.TopicClients;
import dev.marquee.registry.ConfluentSchemaCoder;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import dev.marquee.testing.Platform;
import dev.marquee.topics.Topic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.formats.avro.RegistryAvroDeserializationSchema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code telemetry ingest} and {@code simulate --publish} on a real broker and registry: events
 * come back keyed by session id and stamped with their event time, refused lines come back from the
 * DLQ with their reason and bytes.
 */
@ExtendWith(Platform.class)
class TelemetryIngestIT {
    @TempDir Path dir;

    record Read<T>(String key, long timestamp, T value) {}

    @Test
    void ingestPublishesEventsAndDeadLettersRefusedLines() throws Exception {
        Endpoints endpoints = Platform.endpoints();
        Path logs = dir.resolve("ingest.log");
        String knobs = "--minutes 3 --sessions-per-minute 8 --seed 1001";
        assertThat(
                        TelemetryCommandTest.run(
                                        ("telemetry simulate --out " + logs + " " + knobs)
                                                .split(" "))
                                .exit())
                .isZero();
        String badSid = "it-bad-" + System.nanoTime();
        String missingCid =
                "2026-11-20T18:01:00Z\tCMCD-Session=sid=\"" + badSid + "\"\tterritory=DE";
        Files.writeString(
                logs,
                missingCid + "\nnot a log line\n",
                StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        List<PlaybackEvent> expected =
                TelemetrySimulator.builder()
                        .seed(1001)
                        .duration(Duration.ofMinutes(3))
                        .sessionsPerMinute(8)
                        .build()
                        .stream()
                        .toList();
        int lines = Files.readAllLines(logs).size();

        TelemetryCommandTest.Run run =
                TelemetryCommandTest.run(
                        "telemetry",
                        "ingest",
                        logs.toString(),
                        "--bootstrap-servers",
                        endpoints.bootstrapServers(),
                        "--registry-url",
                        endpoints.registryUrl());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains(
                        logs + " line " + (lines - 1) + ": cid: missing",
                        logs + " line " + lines + ": not a CMCD log line",
                        expected.size()
                                + " event(s) published to playback.telemetry, 2 invalid"
                                + " line(s) to playback.telemetry.dlq");
        Set<String> sessions =
                expected.stream().map(PlaybackEvent::getSessionId).collect(Collectors.toSet());
        List<Read<PlaybackEvent>> published =
                readAll(endpoints, Topic.PLAYBACK_TELEMETRY.topicName(), PlaybackEvent.class)
                        .stream()
                        .filter(r -> sessions.contains(r.value().getSessionId()))
                        .toList();
        assertThat(published).hasSameSizeAs(expected);
        assertThat(published.stream().map(Read::value).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        for (Read<PlaybackEvent> r : published) {
            assertThat(r.key()).isEqualTo(r.value().getSessionId());
            assertThat(r.timestamp()).isEqualTo(r.value().getAt().toEpochMilli());
        }
        List<Read<DeadLetter>> dead =
                readAll(endpoints, Topic.PLAYBACK_TELEMETRY.dlqName(), DeadLetter.class).stream()
                        .filter(r -> r.value().getReason().startsWith(logs.toString()))
                        .toList();
        assertThat(dead).hasSize(2);
        DeadLetter first =
                dead.stream().filter(r -> badSid.equals(r.key())).findFirst().orElseThrow().value();
        assertThat(first.getReason()).contains("cid: missing");
        assertThat(first.getCategory()).isEqualTo(DeadLetterCategory.INVALID);
        assertThat(first.getSourceTopic()).isEqualTo("playback.telemetry");
        assertThat(StandardCharsets.UTF_8.decode(first.getPayload()).toString())
                .isEqualTo(missingCid);
    }

    @Test
    void simulatePublishesTheSimulatedEvents() throws Exception {
        Endpoints endpoints = Platform.endpoints();
        Instant start = Instant.parse("2026-11-21T18:00:00Z");
        List<PlaybackEvent> expected =
                TelemetrySimulator.builder()
                        .seed(2002)
                        .start(start)
                        .duration(Duration.ofMinutes(2))
                        .sessionsPerMinute(6)
                        .build()
                        .stream()
                        .toList();

        TelemetryCommandTest.Run run =
                TelemetryCommandTest.run(
                        "telemetry",
                        "simulate",
                        "--publish",
                        "--minutes",
                        "2",
                        "--sessions-per-minute",
                        "6",
                        "--seed",
                        "2002",
                        "--start",
                        start.toString(),
                        "--bootstrap-servers",
                        endpoints.bootstrapServers(),
                        "--registry-url",
                        endpoints.registryUrl());

        assertThat(run.exit()).isZero();
        assertThat(run.err())
                .contains(expected.size() + " event(s) published to playback.telemetry");
        Set<String> sessions =
                expected.stream().map(PlaybackEvent::getSessionId).collect(Collectors.toSet());
        assertThat(
                        readAll(
                                        endpoints,
                                        Topic.PLAYBACK_TELEMETRY.topicName(),
                                        PlaybackEvent.class)
                                .stream()
                                .map(Read::value)
                                .filter(e -> sessions.contains(e.getSessionId()))
                                .toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    static <T extends SpecificRecord> List<Read<T>> readAll(
            Endpoints endpoints, String topic, Class<T> type) throws Exception {
        TopicClients clients = new TopicClients(endpoints);
        var deserializer =
                new RegistryAvroDeserializationSchema<>(
                        type,
                        null,
                        new ConfluentSchemaCoder.Provider(
                                Topic.subjectOf(topic), clients.registryConfig()));
        List<Read<T>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = clients.consumer(null)) {
            List<TopicPartition> partitions =
                    consumer.partitionsFor(topic, Duration.ofSeconds(8)).stream()
                            .map(p -> new TopicPartition(topic, p.partition()))
                            .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(300))) {
                    out.add(
                            new Read<>(
                                    r.key(), r.timestamp(), deserializer.deserialize(r.value())));
                }
            }
        }
        return out;
    }
}
