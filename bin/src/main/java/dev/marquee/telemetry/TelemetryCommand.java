package dev.marquee.telemetry;

import dev.marquee.cli.ClientOptions;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.TopicClients;
import dev.marquee.cli.UserError;
import dev.marquee.io.AvroJson;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.telemetry.sim.Incident;
import dev.marquee.telemetry.sim.TelemetrySimulator;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code telemetry parse|ingest|simulate}: CMCD request logs to playback events, on stdout or to
 * {@code playback.telemetry}, and a player-telemetry simulator to make such logs. Exit 0 when every
 * line gave an event, 1 when some did not (the others are still printed or published; each refused
 * line is reported with its line number and reason), 2 when the file is missing or the options are
 * wrong. The line format is in docs/telemetry.md.
 */
@Command(
        name = "telemetry",
        mixinStandardHelpOptions = true,
        description = "CMCD player telemetry: parse, ingest and simulate.",
        subcommands = {
            TelemetryCommand.Parse.class,
            TelemetryCommand.Ingest.class,
            TelemetryCommand.Simulate.class
        })
public final class TelemetryCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** What a pass over a log file saw. */
    record Tally(long events, long repaired, long invalid) {
        String summary(String file) {
            return String.format(
                    "telemetry %s: %d event(s), %d with repairs, %d invalid line(s)",
                    file, events, repaired, invalid);
        }
    }

    /** Receives what each line gave. */
    interface Sink {
        void event(PlaybackEvent event);

        void invalid(String line, int lineNumber, CmcdParser.Result result);
    }

    /**
     * Parses a CMCD log file line by line (blank lines and lines starting with # are skipped),
     * reporting each refused line on {@code err} as "FILE line N: reason".
     */
    static Tally parseFile(String file, Sink sink, PrintStream err) {
        Path path = MarqueeHome.detect().userFile(Path.of(file));
        if (!Files.isRegularFile(path)) {
            throw new UserError("no such file: " + file);
        }
        CmcdParser parser = new CmcdParser();
        long events = 0;
        long repaired = 0;
        long invalid = 0;
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            int number = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                CmcdParser.Result result = parser.parse(line);
                if (result.ok()) {
                    events++;
                    repaired += result.event().getRepairs().isEmpty() ? 0 : 1;
                    sink.event(result.event());
                } else {
                    invalid++;
                    err.println(file + " line " + number + ": " + result.error());
                    sink.invalid(line, number, result);
                }
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        return new Tally(events, repaired, invalid);
    }

    @Command(
            name = "parse",
            mixinStandardHelpOptions = true,
            description =
                    "One PlaybackEvent JSON per line on stdout; each invalid line on stderr with its"
                            + " line number and reason. Exit 0 all parsed, 1 some invalid.")
    static final class Parse implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "CMCD request log")
        String file;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            Tally tally =
                    parseFile(
                            file,
                            new Sink() {
                                @Override
                                public void event(PlaybackEvent event) {
                                    out.println(AvroJson.toJsonString(event));
                                }

                                @Override
                                public void invalid(
                                        String line, int number, CmcdParser.Result result) {}
                            },
                            System.err);
            out.flush();
            System.err.println(tally.summary(file));
            return tally.invalid() == 0 ? 0 : 1;
        }
    }

    @Command(
            name = "ingest",
            mixinStandardHelpOptions = true,
            description =
                    "Parse, then publish the events to playback.telemetry (key sessionId, timestamp"
                            + " = event time) and the invalid lines to playback.telemetry.dlq with"
                            + " their reason. Exit codes as for parse.")
    static final class Ingest implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "CMCD request log")
        String file;

        @Mixin ClientOptions client = new ClientOptions();

        @Override
        public Integer call() {
            if (!Files.isRegularFile(MarqueeHome.detect().userFile(Path.of(file)))) {
                throw new UserError("no such file: " + file);
            }
            Tally tally;
            long sent;
            long dead;
            try (TelemetryPublisher publisher =
                    new TelemetryPublisher(
                            new TopicClients(client.endpoints()), "telemetry ingest")) {
                tally =
                        parseFile(
                                file,
                                new Sink() {
                                    @Override
                                    public void event(PlaybackEvent event) {
                                        publisher.publish(event);
                                    }

                                    @Override
                                    public void invalid(
                                            String line, int number, CmcdParser.Result result) {
                                        publisher.deadLetter(
                                                line,
                                                result.sessionId(),
                                                file + " line " + number + ": " + result.error());
                                    }
                                },
                                System.err);
                sent = publisher.sent();
                dead = publisher.deadLettered();
            }
            System.err.println(tally.summary(file));
            System.err.printf(
                    "telemetry %s: %d event(s) published to %s, %d invalid line(s) to %s%n",
                    file, sent, TelemetryPublisher.TOPIC, dead, TelemetryPublisher.DLQ);
            return tally.invalid() == 0 ? 0 : 1;
        }
    }

    @Command(
            name = "simulate",
            mixinStandardHelpOptions = true,
            description =
                    "Simulated player sessions (deterministic per seed) as CMCD request logs on"
                            + " stdout or --out FILE, or published to playback.telemetry with"
                            + " --publish.")
    static final class Simulate implements Callable<Integer> {
        @Option(names = "--minutes", description = "Minutes of traffic (default: ${DEFAULT-VALUE})")
        int minutes = 60;

        @Option(
                names = "--sessions-per-minute",
                description = "Average session starts a minute (default: ${DEFAULT-VALUE})")
        double sessionsPerMinute = 50;

        @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE})")
        long seed = 1;

        @Option(
                names = "--start",
                paramLabel = "INSTANT",
                description =
                        "First instant, e.g. 2026-11-20T18:00:00Z, or 'now' (default:"
                                + " ${DEFAULT-VALUE})")
        String start = "2026-11-20T18:00:00Z";

        @Option(
                names = "--titles",
                split = ",",
                paramLabel = "CID",
                description = "Content ids, most popular first")
        List<String> titles;

        @Option(
                names = "--territories",
                split = ",",
                paramLabel = "CC",
                description = "ISO 3166-1 alpha-2 territories")
        List<String> territories;

        @Option(
                names = "--premiere",
                paramLabel = "CID@WHEN",
                description =
                        "A title whose window opens at WHEN (an instant, or minutes after"
                                + " --start): no plays before, then a spike. Repeatable.")
        List<String> premieres = new ArrayList<>();

        @Option(
                names = "--incident",
                paramLabel = "SPEC",
                description =
                        "cold-pop:POP | slow-license[:P95MS] | failing-device:CLASS, each with an"
                                + " optional @FROM-TO in minutes after --start (default: the middle"
                                + " third). Repeatable.")
        List<String> incidents = new ArrayList<>();

        @Option(
                names = "--format",
                description =
                        "Log form: query, headers, json or mixed (one form per session)"
                                + " (default: ${DEFAULT-VALUE})")
        String format = "mixed";

        @Option(
                names = "--events",
                description = "Write PlaybackEvent JSON lines instead of CMCD log lines")
        boolean events;

        @Option(names = "--out", paramLabel = "FILE", description = "Write here, not stdout")
        String out;

        @Option(names = "--publish", description = "Publish the events to playback.telemetry")
        boolean publish;

        @Mixin ClientOptions client = new ClientOptions();

        @Override
        public Integer call() throws IOException {
            if (publish && out != null) {
                throw new UserError("--out and --publish exclude each other");
            }
            TelemetrySimulator simulator = simulator();
            long count = 0;
            if (publish) {
                try (TelemetryPublisher publisher =
                        new TelemetryPublisher(
                                new TopicClients(client.endpoints()), "telemetry simulate")) {
                    for (Iterator<PlaybackEvent> it = simulator.events(); it.hasNext(); ) {
                        publisher.publish(it.next());
                        count++;
                    }
                }
                System.err.printf(
                        "telemetry simulate: %d event(s) published to %s%n",
                        count, TelemetryPublisher.TOPIC);
                return 0;
            }
            CmcdRenderer.Form fixed = form();
            CmcdRenderer renderer = new CmcdRenderer();
            Path path = out == null ? null : MarqueeHome.detect().userFile(Path.of(out));
            Writer writer =
                    path == null
                            ? new BufferedWriter(
                                    new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                            : Files.newBufferedWriter(path, StandardCharsets.UTF_8);
            try {
                for (Iterator<PlaybackEvent> it = simulator.events(); it.hasNext(); ) {
                    PlaybackEvent event = it.next();
                    writer.write(
                            events
                                    ? AvroJson.toJsonString(event)
                                    : renderer.render(
                                            event, fixed != null ? fixed : formOf(event)));
                    writer.write('\n');
                    count++;
                }
            } catch (IOException e) {
                throw new UserError("cannot write " + out + ": " + e.getMessage());
            } finally {
                if (path == null) {
                    writer.flush(); // stdout stays open
                } else {
                    writer.close();
                }
            }
            System.err.printf(
                    "telemetry simulate: %d event(s) from %s to %s%s%n",
                    count,
                    simulator.start(),
                    simulator.end(),
                    out == null ? "" : " written to " + out);
            return 0;
        }

        /** One form per session, as one player would use, chosen from the session id. */
        static CmcdRenderer.Form formOf(PlaybackEvent event) {
            CmcdRenderer.Form[] forms = CmcdRenderer.Form.values();
            return forms[Math.floorMod(event.getSessionId().hashCode(), forms.length)];
        }

        CmcdRenderer.Form form() {
            return switch (format.toLowerCase(Locale.ROOT)) {
                case "mixed" -> null;
                case "query" -> CmcdRenderer.Form.QUERY;
                case "headers", "header" -> CmcdRenderer.Form.HEADERS;
                case "json" -> CmcdRenderer.Form.JSON;
                default ->
                        throw new UserError(
                                "--format '" + format + "' is not query, headers, json or mixed");
            };
        }

        TelemetrySimulator simulator() {
            if (minutes <= 0) {
                throw new UserError("--minutes must be positive, was " + minutes);
            }
            if (sessionsPerMinute < 0) {
                throw new UserError("--sessions-per-minute must be >= 0");
            }
            Instant from = instant("--start", start, null);
            Duration duration = Duration.ofMinutes(minutes);
            TelemetrySimulator.Builder b =
                    TelemetrySimulator.builder()
                            .seed(seed)
                            .start(from)
                            .duration(duration)
                            .sessionsPerMinute(sessionsPerMinute);
            if (titles != null) {
                b.titles(titles);
            }
            if (territories != null) {
                List<String> upper =
                        territories.stream().map(t -> t.strip().toUpperCase(Locale.ROOT)).toList();
                for (String t : upper) {
                    if (!dev.marquee.rights.Territories.isCountry(t)) {
                        throw new UserError(
                                "--territories: '" + t + "' is not an ISO 3166-1 alpha-2 country");
                    }
                }
                b.territories(upper);
            }
            for (String premiere : premieres) {
                int at = premiere.lastIndexOf('@');
                if (at <= 0) {
                    throw new UserError(
                            "--premiere '" + premiere + "' is not CID@INSTANT or CID@MINUTES");
                }
                b.premiere(
                        premiere.substring(0, at),
                        instant("--premiere", premiere.substring(at + 1), from));
            }
            for (String spec : incidents) {
                b.incident(incident(spec, from, minutes));
            }
            return b.build();
        }

        private static final Pattern INCIDENT =
                Pattern.compile("([a-z-]+)(?::([^@]+))?(?:@(\\d+)-(\\d+))?");

        static Incident incident(String spec, Instant start, int minutes) {
            Matcher m = INCIDENT.matcher(spec.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new UserError(
                        "--incident '"
                                + spec
                                + "' is not cold-pop:POP, slow-license[:P95MS] or"
                                + " failing-device:CLASS (each with an optional @FROM-TO in"
                                + " minutes)");
            }
            long fromMinute = m.group(3) == null ? minutes / 3 : Long.parseLong(m.group(3));
            long toMinute = m.group(4) == null ? 2L * minutes / 3 : Long.parseLong(m.group(4));
            if (toMinute <= fromMinute) {
                throw new UserError(
                        "--incident '" + spec + "': the range must end after it starts");
            }
            Instant from = start.plus(Duration.ofMinutes(fromMinute));
            Instant to = start.plus(Duration.ofMinutes(toMinute));
            String arg = m.group(2);
            return switch (m.group(1)) {
                case "cold-pop" -> {
                    if (arg == null) {
                        throw new UserError("--incident cold-pop needs a PoP, e.g. cold-pop:fra1");
                    }
                    yield Incident.coldPop(arg, from, to);
                }
                case "slow-license" -> {
                    int p95 = 250;
                    if (arg != null) {
                        try {
                            p95 = Integer.parseInt(arg.replace("ms", ""));
                        } catch (NumberFormatException e) {
                            throw new UserError(
                                    "--incident slow-license:" + arg + ": not a p95 in ms");
                        }
                    }
                    yield Incident.slowLicense(from, to, p95);
                }
                case "failing-device" -> {
                    DeviceClass c =
                            arg == null
                                    ? null
                                    : Arrays.stream(DeviceClass.values())
                                            .filter(d -> d.name().equalsIgnoreCase(arg))
                                            .findFirst()
                                            .orElse(null);
                    if (c == null) {
                        throw new UserError(
                                "--incident failing-device needs a device class, one of "
                                        + Arrays.toString(DeviceClass.values()));
                    }
                    yield Incident.failingDevice(c, from, to);
                }
                default ->
                        throw new UserError(
                                "--incident '"
                                        + m.group(1)
                                        + "' is not cold-pop, slow-license or failing-device");
            };
        }

        /** An instant, 'now', or (with a base) minutes after the base. */
        static Instant instant(String option, String text, Instant base) {
            if (text.equalsIgnoreCase("now")) {
                return Instant.now().truncatedTo(ChronoUnit.SECONDS);
            }
            if (base != null && text.matches("\\d+")) {
                return base.plus(Duration.ofMinutes(Long.parseLong(text)));
            }
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new UserError(
                        option
                                + " '"
                                + text
                                + "' is not an instant like 2026-11-20T18:00:00Z"
                                + (base != null ? " nor minutes after --start" : ""));
            }
        }
    }
}
