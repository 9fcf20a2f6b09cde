package dev.marquee.avails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.TopicClients;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import dev.marquee.testing.Platform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code avails ingest} on a real broker and registry: a Full Extract, then a second one that
 * leaves one avail out (revoked, read back from rights.events), the same again (nothing more), then
 * a Full Delete of the ALID (the rest revoked); another ALID's right is never touched.
 */
@ExtendWith(Platform.class)
class AvailsIngestIT {
    @TempDir Path dir;

    private final String run = Long.toString(System.nanoTime(), 36);
    private final String alid = "md:alid:org:marquee.test:it-" + run;
    private final String otherAlid = alid + "-other";

    private String tx(String id, String territory) {
        return "<Transaction TransactionID='"
                + id
                + "-"
                + run
                + "'><LicenseType>SVOD</LicenseType><Territory><country>"
                + territory
                + "</country></Territory><Start>2027-01-01T00:00:00Z</Start>"
                + "<End>2028-01-01T00:00:00Z</End><FormatProfile>HD</FormatProfile></Transaction>";
    }

    private String avail(String availAlid, String entryType, String issued, String... txs) {
        return "<Avail><ALID>"
                + availAlid
                + "</ALID><Disposition><EntryType>"
                + entryType
                + "</EntryType><IssueDate>"
                + issued
                + "</IssueDate></Disposition><Licensor><DisplayName>Marquee Test Pictures"
                + "</DisplayName></Licensor>"
                + String.join("", txs)
                + "</Avail>";
    }

    private Path write(String name, String... avails) throws Exception {
        Path file = dir.resolve(name);
        Files.writeString(
                file,
                "<AvailList xmlns='http://www.movielabs.com/schema/avails/v2.5/avails'>"
                        + String.join("", avails)
                        + "</AvailList>",
                StandardCharsets.UTF_8);
        return file;
    }

    private AvailsCommandTest.Run ingest(Path file) {
        Endpoints endpoints = Platform.endpoints();
        return AvailsCommandTest.run(
                "avails",
                "ingest",
                file.toString(),
                "--bootstrap-servers",
                endpoints.bootstrapServers(),
                "--registry-url",
                endpoints.registryUrl());
    }

    /** This run's records on rights.events, per rightId (without the run suffix), in log order. */
    private Map<String, List<RightEvent>> readBack() throws Exception {
        List<RightEvent> all =
                new TopicClients(Platform.endpoints()).readAll("rights.events", RightEvent.class);
        return all.stream()
                .filter(r -> r.getRightId().endsWith("-" + run))
                .sorted(Comparator.comparingLong(RightEvent::getRevision))
                .collect(
                        Collectors.groupingBy(
                                r -> r.getRightId().substring(0, r.getRightId().indexOf('-', 2)),
                                Collectors.toList()));
    }

    private static RightEvent latest(List<RightEvent> revisions) {
        return revisions.get(revisions.size() - 1);
    }

    @Test
    void aSecondFullExtractRevokesTheAvailItLeavesOut() throws Exception {
        Path first =
                write(
                        "first.xml",
                        avail(
                                alid,
                                "Full Extract",
                                "2026-01-10T00:00:00Z",
                                tx("X1", "US"),
                                tx("X2", "GB"),
                                tx("X3", "JP")),
                        avail(otherAlid, "Create", "2026-01-10T00:00:00Z", tx("Y1", "FR")));
        Path second =
                write(
                        "second.xml",
                        avail(
                                alid,
                                "Full Extract",
                                "2026-03-01T00:00:00Z",
                                tx("X1", "US"),
                                tx("X3", "JP")));

        AvailsCommandTest.Run one = ingest(first);
        AvailsCommandTest.Run two = ingest(second);
        AvailsCommandTest.Run again = ingest(second);

        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(one.err())
                .contains(
                        "4 right(s) published to rights.events (4 from the file, 0 revoked as"
                                + " missing from a Full Extract, 0 revoked by a Full Delete");
        assertThat(two.exit()).as(two.err()).isZero();
        assertThat(two.err())
                .contains(
                        "3 right(s) published to rights.events (2 from the file, 1 revoked as"
                                + " missing from a Full Extract, 0 revoked by a Full Delete");
        assertThat(again.err()).contains("(2 from the file, 0 revoked as missing");

        Map<String, List<RightEvent>> byId = readBack();
        RightEvent x2 = latest(byId.get("X2"));
        assertThat(x2.getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(x2.getRevision())
                .isEqualTo(Instant.parse("2026-03-01T00:00:00Z").toEpochMilli());
        assertThat(x2.getIssuedAt()).isEqualTo(Instant.parse("2026-03-01T00:00:00Z"));
        assertThat(x2.getTerritory()).containsExactly("GB");
        assertThat(x2.getSource())
                .isEqualTo(
                        "avails second.xml; ALID "
                                + alid
                                + "; EntryType Full Extract; Licensor Marquee Test Pictures;"
                                + " revoked: missing from the Full Extract");
        assertThat(byId.get("X2"))
                .extracting(RightEvent::getStatus)
                .containsExactly(RightStatus.ACTIVE, RightStatus.REVOKED);
        assertThat(latest(byId.get("X1")).getStatus()).isEqualTo(RightStatus.ACTIVE);
        assertThat(latest(byId.get("X3")).getStatus()).isEqualTo(RightStatus.ACTIVE);
        assertThat(byId.get("Y1"))
                .singleElement()
                .extracting(RightEvent::getStatus)
                .isEqualTo(RightStatus.ACTIVE);

        // a Full Delete of the ALID that lists X1 ends X3 too; Y1 (another ALID) stays
        Path delete =
                write(
                        "delete.xml",
                        avail(alid, "Full Delete", "2026-04-01T00:00:00Z", tx("X1", "US")));
        AvailsCommandTest.Run three = ingest(delete);

        assertThat(three.err())
                .contains(
                        "(1 from the file, 0 revoked as missing from a Full Extract, 1 revoked"
                                + " by a Full Delete of their ALID)");
        byId = readBack();
        assertThat(latest(byId.get("X1")).getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(latest(byId.get("X3")).getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(latest(byId.get("X3")).getSource()).endsWith("revoked: Full Delete of its ALID");
        assertThat(latest(byId.get("Y1")).getStatus()).isEqualTo(RightStatus.ACTIVE);
    }

    @Test
    void withoutImplicitRevocationsOnlyTheFilesRightsArePublished() throws Exception {
        String alid2 = alid + "-opt";
        ingest(
                write(
                        "a.xml",
                        avail(
                                alid2,
                                "Full Extract",
                                "2026-01-10T00:00:00Z",
                                tx("Z1", "US"),
                                tx("Z2", "GB"))));
        Endpoints endpoints = Platform.endpoints();
        AvailsCommandTest.Run run2 =
                AvailsCommandTest.run(
                        "avails",
                        "ingest",
                        write(
                                        "b.xml",
                                        avail(
                                                alid2,
                                                "Full Extract",
                                                "2026-03-01T00:00:00Z",
                                                tx("Z1", "US")))
                                .toString(),
                        "--no-implicit-revocations",
                        "--bootstrap-servers",
                        endpoints.bootstrapServers(),
                        "--registry-url",
                        endpoints.registryUrl());

        assertThat(run2.exit()).isZero();
        assertThat(run2.err()).contains("1 right(s) published", "implicit revocations off");
        assertThat(readBack().get("Z2"))
                .extracting(RightEvent::getStatus)
                .containsExactly(RightStatus.ACTIVE);
    }
}
