package dev.marquee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code telemetry parse} and {@code simulate}: stdout, stderr, exit codes, the round trip. */
class TelemetryCommandTest {
    @TempDir Path dir;

    static final ObjectMapper JSON = new ObjectMapper();

    record Run(int exit, String out, String err) {}

    static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int exit = Main.execute(args);
            return new Run(
                    exit,
                    out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    static Path sample() throws URISyntaxException {
        return Path.of(
                TelemetryCommandTest.class.getResource("/telemetry/sample-cmcd.log").toURI());
    }

    @Test
    void parsePrintsTheEventsAndReportsEachInvalidLine() throws Exception {
        Run run = run("telemetry", "parse", sample().toString());

        assertThat(run.exit()).isEqualTo(1);
        List<JsonNode> events = run.out().lines().map(TelemetryCommandTest::json).toList();
        assertThat(events)
                .extracting(e -> e.get("eventType").asText())
                .containsExactly("START", "LICENSE_REQUEST", "FIRST_FRAME", "SEGMENT", "END");
        assertThat(events).allMatch(e -> e.get("sessionId").asText().equals("s-1"));
        assertThat(events.get(1).get("licenseLatencyMs").asInt()).isEqualTo(41);
        assertThat(events.get(2).get("bitrateKbps").asInt()).isEqualTo(16000);
        JsonNode segment = events.get(3);
        assertThat(segment.get("territory").asText()).isEqualTo("DE");
        assertThat(segment.get("deviceClass").asText()).isEqualTo("TV");
        assertThat(segment.get("cacheHit").asBoolean()).isFalse();
        assertThat(segment.get("repairs").toString())
                .contains(
                        "br: key written as 'BR', keys are lower case",
                        "br: quoted number 16000 read as 16000",
                        "territory: 'de' read as DE",
                        "device: 'smarttv' read as TV");
        assertThat(events.get(4).get("playerState").asText()).isEqualTo("q");
        String name = sample().toString();
        assertThat(run.err().lines())
                .containsExactly(
                        name + " line 7: sid: missing; every CMCD line needs the session id",
                        name + " line 8: territory 'XX' is not an ISO 3166-1 alpha-2 country",
                        "telemetry " + name + ": 5 event(s), 2 with repairs, 2 invalid line(s)");
    }

    @Test
    void aCleanFileExitsZero() throws Exception {
        Path file = dir.resolve("clean.log");
        Files.writeString(
                file,
                "2026-11-20T20:00:00Z\tCMCD-Session=cid=\"t-1\",sid=\"s-9\"\tterritory=JP\tdevice=MOBILE\n");

        Run run = run("telemetry", "parse", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(json(run.out().strip()).get("eventType").asText()).isEqualTo("SEGMENT");
        assertThat(run.err())
                .endsWith(
                        ": 1 event(s), 0 with repairs, 0 invalid line(s)" + System.lineSeparator());
    }

    @Test
    void aMissingFileOrBadOptionsExitTwo() {
        Run missing = run("telemetry", "parse", dir.resolve("nope.log").toString());
        Run badIncident = run("telemetry", "simulate", "--incident", "meteor-strike");
        Run badDevice = run("telemetry", "simulate", "--incident", "failing-device:FRIDGE");
        Run badFormat = run("telemetry", "simulate", "--format", "xml");

        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("marquee: no such file: ");
        assertThat(badIncident.exit()).isEqualTo(2);
        assertThat(badIncident.err()).contains("is not cold-pop, slow-license or failing-device");
        assertThat(badDevice.exit()).isEqualTo(2);
        assertThat(badDevice.err()).contains("needs a device class, one of [TV, MOBILE");
        assertThat(badFormat.exit()).isEqualTo(2);
        assertThat(badFormat.err()).contains("--format 'xml' is not query, headers, json or mixed");
    }

    @Test
    void simulatedLogsParseBackToTheSimulatedEvents() throws Exception {
        Path logs = dir.resolve("sim.log");
        Path events = dir.resolve("sim.jsonl");
        String[] knobs = {
            "--minutes",
            "6",
            "--sessions-per-minute",
            "20",
            "--seed",
            "42",
            "--premiere",
            "t-new@2",
            "--incident",
            "cold-pop:fra1@1-5",
            "--incident",
            "slow-license:300",
            "--incident",
            "failing-device:tv"
        };

        Run simulate =
                run(
                        concat(
                                new String[] {"telemetry", "simulate", "--out", logs.toString()},
                                knobs));
        Run reference =
                run(
                        concat(
                                new String[] {
                                    "telemetry", "simulate", "--events", "--out", events.toString()
                                },
                                knobs));
        Run parse = run("telemetry", "parse", logs.toString());

        assertThat(simulate.exit()).isZero();
        assertThat(reference.exit()).isZero();
        assertThat(simulate.err()).contains("written to " + logs);
        List<String> logLines = Files.readAllLines(logs);
        assertThat(logLines).hasSizeGreaterThan(300);
        assertThat(logLines).anyMatch(l -> l.contains("?CMCD="));
        assertThat(logLines).anyMatch(l -> l.contains("\tCMCD-Session="));
        assertThat(logLines).anyMatch(l -> l.startsWith("{"));
        assertThat(parse.exit()).isZero();
        assertThat(parse.out())
                .isEqualTo(Files.readString(events).replace("\n", System.lineSeparator()));
    }

    @Test
    void simulateIsDeterministicOnStdout() {
        Run a =
                run(
                        "telemetry",
                        "simulate",
                        "--minutes",
                        "2",
                        "--sessions-per-minute",
                        "5",
                        "--format",
                        "json");
        Run b =
                run(
                        "telemetry",
                        "simulate",
                        "--minutes",
                        "2",
                        "--sessions-per-minute",
                        "5",
                        "--format",
                        "json");

        assertThat(a.exit()).isZero();
        assertThat(a.out()).isNotEmpty().isEqualTo(b.out());
        assertThat(a.out().lines()).allMatch(l -> l.startsWith("{\"time\":"));
    }

    static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (Exception e) {
            throw new AssertionError(line, e);
        }
    }

    static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
