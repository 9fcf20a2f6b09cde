package dev.marquee.rights;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code rights test} and {@code rights eval} through the real command line. */
class RightsCommandTest {

    /** Runs the CLI, returning exit code, stdout and stderr. */
    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            code = Main.execute(args);
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
        return new String[] {
            String.valueOf(code),
            o.toString(StandardCharsets.UTF_8),
            e.toString(StandardCharsets.UTF_8)
        };
    }

    private static Path scenarios() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("jobs/rights-scenarios"))) {
                return d.resolve("jobs/rights-scenarios");
            }
        }
        throw new AssertionError("jobs/rights-scenarios not found above " + dir);
    }

    @Test
    void committedScenarioSuitePasses() {
        String[] r = run("rights", "test", scenarios().toString());
        assertThat(r[1]).matches("(?s)\\d+ passed, 0 failed\\R");
        assertThat(r[0]).isEqualTo("0");
        int passed = Integer.parseInt(r[1].substring(0, r[1].indexOf(' ')));
        assertThat(passed).isGreaterThanOrEqualTo(40);
    }

    @Test
    void failingExpectationIsReportedAndExitsOne(@TempDir Path dir) throws Exception {
        Files.writeString(
                dir.resolve("s.json"),
                "{\"name\":\"late\",\"rights\":[{\"rightId\":\"r-1\",\"contentId\":\"c\","
                        + "\"territory\":[\"JP\"],\"windowStart\":\"2028-06-01\"}],"
                        + "\"expect\":[{\"contentId\":\"c\",\"territory\":\"JP\","
                        + "\"at\":\"2028-05-31T14:00:00Z\",\"expect\":\"available\"},"
                        + "{\"contentId\":\"c\",\"territory\":\"JP\","
                        + "\"at\":\"2028-05-31T15:00:00Z\",\"expect\":\"available\"}]}");
        String[] r = run("rights", "test", dir.toString());
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1])
                .contains("FAIL s.json \"late\" expect[0] c JP 2028-05-31T14:00:00Z")
                .contains("expected available, got unavailable")
                .contains("deciding right r-1")
                .endsWith("1 passed, 1 failed" + System.lineSeparator());
    }

    @Test
    void evalAnswersEachQueryInOrder(@TempDir Path dir) throws Exception {
        Path rights = dir.resolve("rights.jsonl");
        Path queries = dir.resolve("queries.jsonl");
        Files.writeString(
                rights,
                "{\"rightId\":\"r-1\",\"contentId\":\"c\",\"territory\":[\"US\",\"GB\",\"JP\"],"
                        + "\"windowStart\":\"2028-03-15T00:00:00Z\",\"windowEnd\":\"2031-03-15T00:00:00Z\","
                        + "\"status\":\"active\",\"exceptions\":[{\"type\":\"festival\","
                        + "\"start\":\"2028-03-01\",\"end\":\"2028-03-10\",\"territory\":\"JP\"}]}\n");
        Files.writeString(
                queries,
                "{\"contentId\":\"c\",\"territory\":\"JP\",\"at\":\"2028-03-16T00:00:00Z\"}\n"
                        + "{\"contentId\":\"c\",\"territory\":\"FR\",\"at\":\"2028-03-16T00:00:00Z\"}\n");
        String[] r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        rights.toString(),
                        "--queries",
                        queries.toString());
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1].lines())
                .containsExactly(
                        "{\"contentId\":\"c\",\"territory\":\"JP\",\"at\":\"2028-03-16T00:00:00Z\","
                                + "\"available\":true,\"rightId\":\"r-1\",\"reason\":\"in-window\"}",
                        "{\"contentId\":\"c\",\"territory\":\"FR\",\"at\":\"2028-03-16T00:00:00Z\","
                                + "\"available\":false,\"rightId\":null,\"reason\":\"not-covered\"}");
    }

    @Test
    void badInputIsOneSentenceAndExitTwo(@TempDir Path dir) throws Exception {
        Path rights = dir.resolve("rights.jsonl");
        Path queries = dir.resolve("queries.jsonl");
        Files.writeString(
                rights,
                "\n{\"rightId\":\"r-1\",\"contentId\":\"c\",\"territory\":\"US\",\"windowStart\":7}\n");
        Files.writeString(
                queries,
                "{\"contentId\":\"c\",\"territory\":\"XX\",\"at\":\"2028-01-01T00:00:00Z\"}\n");
        String[] r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        rights.toString(),
                        "--queries",
                        queries.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("line 2").contains("windowStart");
        assertThat(r[2].lines()).hasSize(1);

        Files.writeString(
                rights,
                "{\"rightId\":\"r-1\",\"contentId\":\"c\",\"territory\":\"US\",\"windowStart\":\"2028-01-01\"}\n");
        r = run("rights", "eval", "--rights", rights.toString(), "--queries", queries.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("line 1").contains("territory").contains("XX");

        r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        dir.resolve("missing").toString(),
                        "--queries",
                        queries.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("does not exist");

        r = run("rights", "test", dir.resolve("nowhere").toString());
        assertThat(r[0]).isEqualTo("2");
    }

    private static final String TITLE = "eidr:10.5240/7E1A-55C0-2B3D-4F60-91AA-K";

    private static Path availsFixture() throws Exception {
        return Path.of(
                java.util.Objects.requireNonNull(
                                RightsCommandTest.class.getResource("/avails/eval-avails.xml"))
                        .toURI());
    }

    private static String query(String territory, String at) {
        return "{\"contentId\":\""
                + TITLE
                + "\",\"territory\":\""
                + territory
                + "\",\"at\":\""
                + at
                + "\"}\n";
    }

    private static String answer(
            String territory, String at, boolean available, String rightId, String reason) {
        return "{\"contentId\":\""
                + TITLE
                + "\",\"territory\":\""
                + territory
                + "\",\"at\":\""
                + at
                + "\",\"available\":"
                + available
                + ",\"rightId\":\""
                + rightId
                + "\",\"reason\":\""
                + reason
                + "\"}";
    }

    /**
     * An Avails XML file as --rights: the Update (later in the file) shortens the SVOD window, the
     * Europe EST window opens at local midnight in Germany and excludes France; the bad transaction
     * is an error on stderr after the answers, and the exit code is 1.
     */
    @Test
    void evalReadsAnAvailsFileAndReportsItsErrorsAfterTheAnswers(@TempDir Path dir)
            throws Exception {
        Path queries = dir.resolve("queries.jsonl");
        Files.writeString(
                queries,
                query("US", "2027-03-01T00:00:00Z")
                        + query("US", "2027-08-01T00:00:00Z")
                        + query("DE", "2027-05-31T21:59:59Z")
                        + query("DE", "2027-05-31T22:00:00Z")
                        + query("FR", "2027-07-01T00:00:00Z"));
        List<String> expected =
                List.of(
                        answer("US", "2027-03-01T00:00:00Z", true, "HL-SVOD-1", "in-window"),
                        answer("US", "2027-08-01T00:00:00Z", false, "HL-SVOD-1", "closed"),
                        answer("DE", "2027-05-31T21:59:59Z", false, "HL-EST-1", "not-yet-open"),
                        answer("DE", "2027-05-31T22:00:00Z", true, "HL-EST-1", "in-window"),
                        answer("FR", "2027-07-01T00:00:00Z", false, "HL-EST-1", "excluded"));

        String[] r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        availsFixture().toString(),
                        "--queries",
                        queries.toString());

        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1].lines()).containsExactlyElementsOf(expected);
        assertThat(r[2].lines())
                .filteredOn(line -> line.startsWith("error: "))
                .singleElement()
                .asString()
                .contains("HL-BAD-1", "Territory", "'QQ'");
        assertThat(r[2])
                .contains("3 right(s) from the Avails file applied, 1 transaction(s) failed");

        // told apart by content, not only by name: the same XML named .txt answers the same
        Path renamed = dir.resolve("avails.txt");
        Files.copy(availsFixture(), renamed);
        String[] byContent =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        renamed.toString(),
                        "--queries",
                        queries.toString());
        assertThat(byContent[0]).isEqualTo("1");
        assertThat(byContent[1].lines()).containsExactlyElementsOf(expected);
    }

    @Test
    void aCompleteAvailsFileExitsZeroAndANonAvailsXmlIsExitTwo(@TempDir Path dir) throws Exception {
        String fixture = Files.readString(availsFixture(), StandardCharsets.UTF_8);
        int bad = fixture.indexOf("<avails:Transaction TransactionID=\"HL-BAD-1\">");
        int end = fixture.indexOf("</avails:Transaction>", bad) + "</avails:Transaction>".length();
        Path complete = dir.resolve("complete.xml");
        Files.writeString(complete, fixture.substring(0, bad) + fixture.substring(end));
        Path queries = dir.resolve("queries.jsonl");
        Files.writeString(queries, query("CA", "2027-03-01T00:00:00Z"));

        String[] r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        complete.toString(),
                        "--queries",
                        queries.toString());
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        assertThat(r[1].lines())
                .containsExactly(
                        answer("CA", "2027-03-01T00:00:00Z", true, "HL-SVOD-1", "in-window"));
        assertThat(r[2]).doesNotContain("error:");

        Path notAvails = dir.resolve("other.xml");
        Files.writeString(notAvails, "<html><body>not avails</body></html>");
        r =
                run(
                        "rights",
                        "eval",
                        "--rights",
                        notAvails.toString(),
                        "--queries",
                        queries.toString());
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[1]).isEmpty();
    }
}
