package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.cli.Main;
import dev.marquee.schema.FeedRecord;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading feed files (MEC XML and JSON lines) and the offline commands built on it. */
class FeedFileTest {
    static final FeedFile.Context CONTEXT =
            new FeedFile.Context("test-feed", null, Instant.parse("2026-11-20T08:00:00Z"));

    static byte[] fixture(String name) throws Exception {
        return FeedFileTest.class.getResourceAsStream("/metadata/" + name).readAllBytes();
    }

    @Test
    void mecBasicsBecomeFeedRecordsWithProvenance() throws Exception {
        List<FeedFile.Entry> entries =
                FeedFile.read("one.xml", fixture("one-title.mec.xml"), CONTEXT);
        assertThat(entries).singleElement().satisfies(e -> assertThat(e.problem()).isNull());
        FeedRecord r = entries.get(0).record();
        assertThat(r.getVendor()).isEqualTo("studio-x");
        assertThat(r.getVendorRecordId()).isEqualTo("md:cid:org:studio-x:SX-1");
        assertThat(r.getIdentifiers())
                .extracting(i -> i.getScheme() + " " + i.getValue() + " " + i.getValid())
                .containsExactly(
                        "eidr 10.5240/7EC7-228A-510A-053E-CBB8-J true",
                        "imdb tt0087332 true",
                        "vendor:studio-x SX-1 true");
        assertThat(r.getTitles())
                .extracting(t -> t.getLocale() + "|" + t.getKind() + "|" + t.getText())
                .containsExactly(
                        "en-US|display|Ghostbusters",
                        "en-US|sort|Ghostbusters",
                        "de-DE|display|Ghostbusters – Die Geisterjäger");
        assertThat(r.getRuntimeMinutes()).isEqualTo(105);
        assertThat(r.getReleaseYear()).isEqualTo(1984);
        assertThat(r.getProvenance().getSourceFeed()).isEqualTo("test-feed");
        assertThat(r.getProvenance().getFile()).isEqualTo("one.xml");
        assertThat(r.getProvenance().getTransformVersion())
                .isEqualTo(FeedRecords.TRANSFORM_VERSION);
    }

    @Test
    void jsonLinesNameTheLineAndTheProblem() throws Exception {
        List<FeedFile.Entry> entries = FeedFile.read("f.jsonl", fixture("mixed.jsonl"), CONTEXT);
        assertThat(entries).hasSize(4);
        assertThat(entries.get(0).ok()).isTrue();
        assertThat(entries.get(0).record().getIdentifiers()).hasSize(2);
        assertThat(entries.get(1).problem()).contains("not valid JSON");
        assertThat(entries.get(1).where()).isEqualTo("f.jsonl line 2");
        assertThat(entries.get(2).problem())
                .contains("releaseYear")
                .contains("expected an integer");
        assertThat(entries.get(3).problem()).contains("1776 is not a plausible release year");
    }

    @Test
    void aFileThatIsNeitherIsRefusedAsAWhole() {
        assertThatThrownBy(
                        () ->
                                FeedFile.read(
                                        "x.csv",
                                        "a,b\n1,2".getBytes(StandardCharsets.UTF_8),
                                        CONTEXT))
                .isInstanceOf(FeedFile.NotAFeedException.class)
                .hasMessageContaining("neither JSON lines nor MEC XML");
    }

    @Test
    void parseCommandExitsOneWhenARecordIsBadAndEidrCheckPrintsOneLinePerId(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("mixed.jsonl");
        Files.write(file, fixture("mixed.jsonl"));
        assertThat(run("metadata", "parse", file.toString()).exit).isEqualTo(1);

        Result eidr =
                run(
                        "eidr",
                        "check",
                        "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J",
                        "10.5240/6FE7-5382-637F-2E34-7518-X",
                        "tt0087332");
        assertThat(eidr.exit).isEqualTo(1);
        assertThat(eidr.out.lines().toList())
                .containsExactly(
                        "{\"input\":\"urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J\",\"status\":\"VALID\",\"canonical\":\"10.5240/7EC7-228A-510A-053E-CBB8-J\"}",
                        "{\"input\":\"10.5240/6FE7-5382-637F-2E34-7518-X\",\"status\":\"BAD_CHECK\",\"canonical\":\"10.5240/6FE7-5382-637F-2E34-7518-X\",\"expectedCheck\":\"O\"}",
                        "{\"input\":\"tt0087332\",\"status\":\"MALFORMED\",\"canonical\":null}");
        assertThat(run("eidr", "check", "10.5240/6FE7-5382-637F-2E34-7518-O").exit).isZero();
    }

    record Result(int exit, String out) {}

    static Result run(String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            int exit = Main.execute(args);
            return new Result(exit, buffer.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }
}
