package dev.marquee.avails;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The diff a Full Extract or Full Delete implies: current rights (the rights.events log) + the
 * parsed file -> revocations. Files are written inline and parsed, so scopes come from the parser.
 */
class AvailsImplicitRevocationsTest {
    static final String FIRST = "2026-01-10T00:00:00Z";
    static final String EXTRACT = "2026-03-01T00:00:00Z";

    /** One transaction: id (null = none), territory and format (a bad territory fails it). */
    static String tx(String id, String territory) {
        return (id == null ? "<Transaction>" : "<Transaction TransactionID='" + id + "'>")
                + "<LicenseType>EST</LicenseType><Territory><country>"
                + territory
                + "</country></Territory><Start>2027-01-01</Start>"
                + "<EndCondition>Open</EndCondition><FormatProfile>HD</FormatProfile>"
                + "</Transaction>";
    }

    static String avail(
            String alid, String licensor, String entryType, String issued, String... txs) {
        return "<Avail><ALID>"
                + alid
                + "</ALID><Disposition><EntryType>"
                + entryType
                + "</EntryType><IssueDate>"
                + issued
                + "</IssueDate></Disposition>"
                + (licensor == null
                        ? ""
                        : "<Licensor><DisplayName>" + licensor + "</DisplayName></Licensor>")
                + String.join("", txs)
                + "</Avail>";
    }

    /**
     * Parses avails. Every avail needs a transaction: EMA has none without, and an ALID left out of
     * a Full Extract altogether is out of its scope (see docs/avails.md).
     */
    static AvailsResult file(String... avails) throws Exception {
        return AvailsParserTest.parseXml("<AvailList>" + String.join("", avails) + "</AvailList>");
    }

    /** What an earlier ingest of these avails published. */
    static List<RightEvent> published(String... avails) throws Exception {
        return new ArrayList<>(file(avails).rights());
    }

    static ImplicitRevocations.Plan plan(List<RightEvent> log, AvailsResult file) {
        return ImplicitRevocations.plan(log, file, "second.xml");
    }

    static List<String> ids(List<RightEvent> rights) {
        return rights.stream().map(RightEvent::getRightId).toList();
    }

    @Test
    void aRightMissingFromTheFullExtractIsRevokedAsItStood() throws Exception {
        List<RightEvent> log =
                published(
                        avail(
                                "a-1",
                                "Studio",
                                "Full Extract",
                                FIRST,
                                tx("T-1", "US"),
                                tx("T-2", "GB"),
                                tx("T-3", "JP")));
        AvailsResult second =
                file(
                        avail(
                                "a-1",
                                "Studio",
                                "Full Extract",
                                EXTRACT,
                                tx("T-1", "US"),
                                tx("T-3", "JP")));

        ImplicitRevocations.Plan plan = plan(log, second);

        assertThat(plan.missingFromExtract()).isEqualTo(1);
        assertThat(plan.byFullDelete()).isZero();
        assertThat(plan.notes()).isEmpty();
        RightEvent before = log.get(1);
        RightEvent revoked = plan.revocations().get(0);
        assertThat(plan.revocations()).hasSize(1);
        assertThat(revoked.getRightId()).isEqualTo("T-2");
        assertThat(revoked.getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(revoked.getRevision()).isEqualTo(Instant.parse(EXTRACT).toEpochMilli());
        assertThat(revoked.getRevision()).isGreaterThan(before.getRevision());
        assertThat(revoked.getIssuedAt()).isEqualTo(Instant.parse(EXTRACT));
        assertThat(revoked.getSource())
                .isEqualTo(
                        "avails second.xml; ALID a-1; EntryType Full Extract; Licensor Studio;"
                                + " revoked: missing from the Full Extract");
        // the terms are those of the right it revokes
        assertThat(revoked.getContentId()).isEqualTo(before.getContentId());
        assertThat(revoked.getTerritory()).isEqualTo(before.getTerritory());
        assertThat(revoked.getWindowStart()).isEqualTo(before.getWindowStart());
    }

    @Test
    void otherAlidsOtherLicensorsAndRightsNotFromAvailsAreOutOfScope() throws Exception {
        List<RightEvent> log =
                published(
                        avail("a-1", "Studio", "Create", FIRST, tx("T-1", "US"), tx("T-2", "GB")),
                        avail("a-2", "Studio", "Create", FIRST, tx("U-1", "US")),
                        avail("a-1", "Other", "Create", FIRST, tx("O-1", "US")));
        RightEvent manual = RightEvent.newBuilder(log.get(0)).setRightId("M-1").build();
        manual.setSource("rights publish rights.jsonl");
        RightEvent unsourced = RightEvent.newBuilder(log.get(0)).setRightId("M-2").build();
        unsourced.setSource(null);
        log.add(manual);
        log.add(unsourced);

        ImplicitRevocations.Plan plan =
                plan(log, file(avail("a-1", "Studio", "Full Extract", EXTRACT, tx("T-1", "US"))));

        assertThat(ids(plan.revocations())).containsExactly("T-2");
    }

    @Test
    void anAvailWithoutLicensorCoversEveryLicensorOfItsAlid() throws Exception {
        List<RightEvent> log =
                published(
                        avail("a-1", "Studio", "Create", FIRST, tx("T-1", "US")),
                        avail("a-1", null, "Create", FIRST, tx("T-2", "US")),
                        avail("a-1", "Other", "Create", FIRST, tx("T-3", "US")));

        assertThat(
                        ids(
                                plan(
                                                log,
                                                file(
                                                        avail(
                                                                "a-1",
                                                                null,
                                                                "Full Extract",
                                                                EXTRACT,
                                                                tx("N-1", "US"))))
                                        .revocations()))
                .containsExactly("T-1", "T-2", "T-3");
        // a named licensor takes rights without one, as their licensor is not known
        assertThat(
                        ids(
                                plan(
                                                log,
                                                file(
                                                        avail(
                                                                "a-1",
                                                                "Studio",
                                                                "Full Extract",
                                                                EXTRACT,
                                                                tx("N-1", "US"))))
                                        .revocations()))
                .containsExactly("T-1", "T-2");
    }

    @Test
    void theLatestRevisionOfEachRightCounts() throws Exception {
        List<RightEvent> log =
                published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US"), tx("T-2", "GB")));
        // T-1 was deleted later; T-2 was revoked and then brought back (the revival written
        // before the revocation in the log: order in the log does not matter, revision does)
        log.addAll(published(avail("a-1", "S", "Delete", "2026-02-01T00:00:00Z", tx("T-1", "US"))));
        RightEvent t2 = log.get(1);
        log.add(
                1,
                RightEvent.newBuilder(t2)
                        .setRevision(t2.getRevision() + 20)
                        .setStatus(RightStatus.ACTIVE)
                        .build());
        log.add(
                RightEvent.newBuilder(t2)
                        .setRevision(t2.getRevision() + 10)
                        .setStatus(RightStatus.REVOKED)
                        .build());

        ImplicitRevocations.Plan plan =
                plan(log, file(avail("a-1", "S", "Full Extract", EXTRACT, tx("N-1", "US"))));

        assertThat(ids(plan.revocations())).containsExactly("T-2");
    }

    @Test
    void reIngestingTheSameFullExtractRevokesNothingMore() throws Exception {
        List<RightEvent> log =
                published(
                        avail("a-1", "S", "Full Extract", FIRST, tx("T-1", "US"), tx("T-2", "GB")));
        AvailsResult second = file(avail("a-1", "S", "Full Extract", EXTRACT, tx("T-1", "US")));
        ImplicitRevocations.Plan first = plan(log, second);
        log.addAll(second.rights());
        log.addAll(first.revocations());

        ImplicitRevocations.Plan again = plan(log, second);

        assertThat(first.revocations()).hasSize(1);
        assertThat(again.revocations()).isEmpty();
        assertThat(again.missingFromExtract()).isZero();
    }

    @Test
    void aRightIssuedAfterTheFullExtractIsKeptWithANote() throws Exception {
        List<RightEvent> log =
                published(avail("a-1", "S", "Create", "2026-04-01T00:00:00Z", tx("T-9", "US")));

        ImplicitRevocations.Plan plan =
                plan(log, file(avail("a-1", "S", "Full Extract", EXTRACT, tx("N-1", "US"))));

        assertThat(plan.revocations()).isEmpty();
        assertThat(plan.notes())
                .containsExactly(
                        "rightId T-9 of ALID a-1 kept: issued 2026-04-01T00:00:00Z, after this"
                                + " Full Extract (2026-03-01T00:00:00Z)");
    }

    @Test
    void theRevisionIsOneMoreThanTheCurrentWhenThatIsHigherThanTheIssueTime() throws Exception {
        RightEvent current = published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US"))).get(0);
        current.setRevision(Long.MAX_VALUE / 2);

        RightEvent revoked =
                plan(
                                List.of(current),
                                file(avail("a-1", "S", "Full Extract", EXTRACT, tx("N-1", "US"))))
                        .revocations()
                        .get(0);

        assertThat(revoked.getRevision()).isEqualTo(Long.MAX_VALUE / 2 + 1);
    }

    @Test
    void aFailedTransactionWithAnIdHoldsItsRightAndTheRestIsStillRevoked() throws Exception {
        List<RightEvent> log =
                published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US"), tx("T-2", "GB")));
        AvailsResult second = file(avail("a-1", "S", "Full Extract", EXTRACT, tx("T-1", "XX")));

        ImplicitRevocations.Plan plan = plan(log, second);

        assertThat(second.errors()).hasSize(1);
        assertThat(second.scopes().get(0).heldRightIds()).containsExactly("T-1");
        assertThat(ids(plan.revocations())).containsExactly("T-2");
    }

    @Test
    void aTransactionWaitingOnAConditionHoldsItsRight() throws Exception {
        List<RightEvent> log = published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US")));
        String pending =
                tx("T-1", "US")
                        .replace(
                                "<Start>2027-01-01</Start>",
                                "<StartCondition>Theatrical</StartCondition>");

        AvailsResult second = file(avail("a-1", "S", "Full Extract", EXTRACT, pending));

        assertThat(second.notes()).singleElement().asString().contains("not a right yet");
        assertThat(plan(log, second).revocations()).isEmpty();
    }

    @Test
    void aFailedTransactionWithoutAnIdBlocksItsScopeOnly() throws Exception {
        List<RightEvent> log =
                published(
                        avail("a-1", "S", "Create", FIRST, tx("T-1", "US")),
                        avail("a-2", "S", "Create", FIRST, tx("U-1", "US")));
        AvailsResult second =
                file(
                        avail("a-1", "S", "Full Extract", EXTRACT, tx(null, "XX")),
                        avail("a-2", "S", "Full Extract", EXTRACT, tx("N-1", "US")));

        ImplicitRevocations.Plan plan = plan(log, second);

        assertThat(ids(plan.revocations())).containsExactly("U-1");
        assertThat(plan.notes())
                .singleElement()
                .asString()
                .startsWith("Full Extract of ALID a-1: no implicit revocations, because avail a-1")
                .contains("without a TransactionID");
    }

    @Test
    void aFailedTransactionWithoutAlidOrIdBlocksEveryScope() throws Exception {
        List<RightEvent> log = published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US")));
        AvailsResult second =
                file(
                        avail("a-1", "S", "Full Extract", EXTRACT, tx("N-1", "US")),
                        "<Avail><Disposition><EntryType>Full Extract</EntryType></Disposition>"
                                + tx(null, "US")
                                + "</Avail>");

        assertThat(second.errors()).singleElement().asString().contains("ALID: missing");
        assertThat(plan(log, second).revocations()).isEmpty();
    }

    @Test
    void aFullDeleteRevokesEveryRightOfItsAlidAndCountsThemApart() throws Exception {
        List<RightEvent> log =
                published(
                        avail(
                                "a-1",
                                "S",
                                "Create",
                                FIRST,
                                tx("T-1", "US"),
                                tx("T-2", "GB"),
                                tx("T-3", "JP")),
                        avail("a-2", "S", "Create", FIRST, tx("U-1", "US")));
        AvailsResult second = file(avail("a-1", "S", "Full Delete", EXTRACT, tx("T-1", "US")));

        ImplicitRevocations.Plan plan = plan(log, second);

        // T-1 is revoked by the file's own transaction, the others by the Full Delete
        assertThat(ids(second.rights())).containsExactly("T-1");
        assertThat(second.rights().get(0).getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(ids(plan.revocations())).containsExactly("T-2", "T-3");
        assertThat(plan.byFullDelete()).isEqualTo(2);
        assertThat(plan.missingFromExtract()).isZero();
        assertThat(plan.revocations().get(0).getSource())
                .endsWith("revoked: Full Delete of its ALID");
    }

    @Test
    void aFileOfCreatesAndUpdatesRevokesNothing() throws Exception {
        List<RightEvent> log =
                published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US"), tx("T-2", "GB")));
        AvailsResult second = file(avail("a-1", "S", "Update", EXTRACT, tx("T-1", "US")));

        assertThat(second.scopes()).isEmpty();
        assertThat(plan(log, second).revocations()).isEmpty();
    }

    @Test
    void aRightMovedToAnotherAlidInTheSameFileIsNotRevoked() throws Exception {
        List<RightEvent> log = published(avail("a-1", "S", "Create", FIRST, tx("T-1", "US")));
        AvailsResult second =
                file(
                        avail("a-1", "S", "Full Extract", EXTRACT, tx("N-1", "US")),
                        avail("a-2", "S", "Full Extract", EXTRACT, tx("T-1", "US")));

        assertThat(plan(log, second).revocations()).isEmpty();
    }

    @Test
    void scopesCarryLicensorKindAndTheLatestIssueTime() throws Exception {
        AvailsResult result =
                file(
                        avail("a-1", "S", "Full Extract", FIRST, tx("T-1", "US")),
                        avail("a-1", "S", "Full Extract", EXTRACT, tx("T-2", "US")),
                        avail("a-2", null, "Full Delete", FIRST, tx("N-1", "US")),
                        avail("a-3", "S", "Create", EXTRACT, tx("V-1", "US")));

        assertThat(result.scopes())
                .containsExactly(
                        new ExtractScope(
                                "a-1", "S", false, Instant.parse(EXTRACT), Set.of(), List.of()),
                        new ExtractScope(
                                "a-2", null, true, Instant.parse(FIRST), Set.of(), List.of()));
    }

    // ---- property: whatever the log and file, the plan only ever revokes what it should ----

    record Current(String id, String alid, String licensor, boolean active, int issuedDay) {}

    record Case(List<Current> current, Set<String> fileIds, String licensor, boolean fullDelete) {}

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Current> current =
                Combinators.combine(
                                Arbitraries.of("T-1", "T-2", "T-3", "T-4", "T-5", "T-6"),
                                Arbitraries.of("a-1", "a-2"),
                                Arbitraries.of("S", "Other"),
                                Arbitraries.of(true, false),
                                Arbitraries.integers().between(1, 60))
                        .as(Current::new);
        return Combinators.combine(
                        current.list().ofMaxSize(12),
                        Arbitraries.of("T-1", "T-2", "T-3", "T-4").set().ofMaxSize(3),
                        Arbitraries.of("S", "Other"),
                        Arbitraries.of(true, false))
                .as(Case::new);
    }

    @Property(tries = 300)
    void revokesExactlyTheActiveInScopeRightsTheFileLeavesOut(@ForAll("cases") Case c)
            throws Exception {
        // the extract is issued on day 45: rights issued later are kept
        List<RightEvent> log = new ArrayList<>();
        for (Current cur : c.current()) {
            String day = "2026-01-01T00:00:00Z";
            Instant at = Instant.parse(day).plusSeconds(86_400L * cur.issuedDay());
            RightEvent r =
                    published(
                                    avail(
                                            cur.alid(),
                                            cur.licensor(),
                                            cur.active() ? "Create" : "Delete",
                                            at.toString(),
                                            tx(cur.id(), "US")))
                            .get(0);
            log.add(r);
        }
        Instant extractAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86_400L * 45);
        List<String> txs = new ArrayList<>(List.of(tx("N-9", "US")));
        for (String id : c.fileIds()) {
            txs.add(tx(id, "US"));
        }
        AvailsResult second =
                file(
                        avail(
                                "a-1",
                                c.licensor(),
                                c.fullDelete() ? "Full Delete" : "Full Extract",
                                extractAt.toString(),
                                txs.toArray(String[]::new)));

        ImplicitRevocations.Plan plan = plan(log, second);

        Map<String, RightEvent> latest = ImplicitRevocations.latest(log);
        List<String> expected = new ArrayList<>();
        for (RightEvent r : latest.values()) {
            boolean inScope =
                    AvailsSource.alid(r.getSource()).equals("a-1")
                            && AvailsSource.licensor(r.getSource()).equals(c.licensor());
            if (inScope
                    && r.getStatus() == RightStatus.ACTIVE
                    && !c.fileIds().contains(r.getRightId())
                    && !r.getIssuedAt().isAfter(extractAt)) {
                expected.add(r.getRightId());
            }
        }
        assertThat(ids(plan.revocations())).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(plan.missingFromExtract() + plan.byFullDelete())
                .isEqualTo(plan.revocations().size());
        Map<String, Long> currentRevision = new HashMap<>();
        latest.forEach((id, r) -> currentRevision.put(id, r.getRevision()));
        for (RightEvent revoked : plan.revocations()) {
            assertThat(revoked.getStatus()).isEqualTo(RightStatus.REVOKED);
            assertThat(revoked.getRevision())
                    .isGreaterThan(currentRevision.get(revoked.getRightId()));
        }
        // applying the plan and the file leaves nothing more to revoke
        log.addAll(second.rights());
        log.addAll(plan.revocations());
        assertThat(plan(log, second).revocations()).isEmpty();
    }
}
