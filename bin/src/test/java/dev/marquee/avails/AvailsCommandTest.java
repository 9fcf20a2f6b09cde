package dev.marquee.avails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code avails parse}: stdout, stderr and exit codes (ingest needs a broker: not tested here). */
class AvailsCommandTest {
    @TempDir Path dir;

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

    @Test
    void someFailedExitsOneAndStillPrintsTheGoodRights() throws Exception {
        Path sample = AvailsParserTest.resource("sample-avails.xml");
        Run run = run("avails", "parse", "--issued-at", "2026-11-20T08:00:00Z", sample.toString());

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out())
                .isEqualTo(
                        Files.readString(
                                AvailsParserTest.resource("sample-avails.expected.jsonl"),
                                StandardCharsets.UTF_8));
        assertThat(run.err().lines())
                .hasSize(3)
                .filteredOn(line -> line.startsWith("error: "))
                .singleElement()
                .asString()
                .contains("HB-BAD-1", "Territory", "'JJ'");
    }

    @Test
    void allParsedExitsZero() throws Exception {
        Path file = dir.resolve("one.xml");
        Files.writeString(
                file,
                "<AvailList><Avail><ALID>a</ALID><Disposition><EntryType>Create</EntryType>"
                        + "<IssueDate>2026-01-01</IssueDate></Disposition>"
                        + "<Transaction TransactionID='t'><LicenseType>EST</LicenseType>"
                        + "<Territory><country>US</country></Territory><Start>2027-01-01</Start>"
                        + "<EndCondition>Open</EndCondition><FormatProfile>HD</FormatProfile>"
                        + "</Transaction></Avail></AvailList>");

        Run run = run("avails", "parse", file.toString());

        assertThat(run.exit()).isZero();
        assertThat(run.err()).isEmpty();
        assertThat(run.out())
                .isEqualTo(
                        "{\"rightId\":\"t\",\"contentId\":\"alid:a\",\"revision\":1767225600000,"
                                + "\"status\":\"ACTIVE\",\"territory\":[\"US\"],"
                                + "\"excludedTerritory\":[],\"windowStart\":\"2027-01-01\","
                                + "\"windowEnd\":null,\"exclusivity\":null,\"licenseType\":\"EST\","
                                + "\"formatProfiles\":[\"HD\"],\"exceptions\":[],"
                                + "\"issuedAt\":\"2026-01-01T00:00:00Z\",\"source\":\"avails"
                                + " one.xml; ALID a; TransactionID t; EntryType Create;"
                                + " EndCondition Open\"}"
                                + System.lineSeparator());
    }

    @Test
    void unreadableOrNotAvailsExitsTwo() throws Exception {
        Path json = dir.resolve("rights.jsonl");
        Files.writeString(json, "{\"rightId\":\"r\"}\n");

        Run notAvails = run("avails", "parse", json.toString());
        Run missing = run("avails", "parse", dir.resolve("nope.xml").toString());
        Run badTime = run("avails", "parse", "--issued-at", "yesterday", json.toString());

        assertThat(notAvails.exit()).isEqualTo(2);
        assertThat(notAvails.out()).isEmpty();
        assertThat(notAvails.err()).startsWith("marquee: rights.jsonl is not well-formed XML");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("marquee: no such file: ");
        assertThat(badTime.exit()).isEqualTo(2);
        assertThat(badTime.err())
                .isEqualTo(
                        "marquee: --issued-at 'yesterday' is not an instant like"
                                + " 2026-11-20T08:00:00Z"
                                + System.lineSeparator());
    }
}
