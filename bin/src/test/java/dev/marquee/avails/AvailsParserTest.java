package dev.marquee.avails;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.io.AvroJson;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** EMA Avails XML to rights, on the hand-written fixture under src/test/resources/avails. */
class AvailsParserTest {
    static final Instant FILE_ISSUED = Instant.parse("2026-11-20T08:00:00Z");

    static Path resource(String name) throws URISyntaxException {
        return Path.of(
                Objects.requireNonNull(AvailsParserTest.class.getResource("/avails/" + name))
                        .toURI());
    }

    static AvailsResult parseXml(String xml) throws Exception {
        return AvailsParser.parse(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)),
                "inline.xml",
                FILE_ISSUED);
    }

    @Test
    void sampleFileGivesExactlyTheExpectedRights() throws Exception {
        AvailsResult result = AvailsParser.parse(resource("sample-avails.xml"), FILE_ISSUED);

        List<String> expected =
                Files.readAllLines(
                        resource("sample-avails.expected.jsonl"), StandardCharsets.UTF_8);
        assertThat(result.format()).isEqualTo("xml");
        assertThat(result.rights().stream().map(AvroJson::toJsonString).toList())
                .containsExactlyElementsOf(expected);
    }

    @Test
    void sampleFileReportsOneErrorPerBadTransactionAndNotesConditions() throws Exception {
        AvailsResult result = AvailsParser.parse(resource("sample-avails.xml"), FILE_ISSUED);

        assertThat(result.complete()).isFalse();
        assertThat(result.errors())
                .containsExactly(
                        "avail md:alid:org:marquee.test:harbour transaction HB-BAD-1: Territory:"
                                + " unknown territory code 'JJ' (expected ISO 3166-1 alpha-2, ZZ,"
                                + " EU or a UN M49 region); Start: '2027-13-01T00:00:00' is not an"
                                + " ISO-8601 date, local date-time or instant");
        assertThat(result.notes())
                .containsExactly(
                        "avail md:alid:org:marquee.test:night-train transaction NT-SVOD-1: rightId"
                                + " NT-SVOD-1 appeared earlier in this file; this transaction"
                                + " supersedes it (revision 1793836800000)",
                        "avail md:alid:org:marquee.test:harbour transaction HB-EST-US: not a right"
                                + " yet: starts on condition 'Theatrical' with lag P90D, which is"
                                + " not an instant; ingest it again once the date is known");
    }

    @Test
    void revisionsFollowIssueDatesAndDeleteRevokes() throws Exception {
        List<RightEvent> rights =
                AvailsParser.parse(resource("sample-avails.xml"), FILE_ISSUED).rights();

        RightEvent created = rights.get(0);
        RightEvent updated = rights.get(2);
        assertThat(created.getRightId()).isEqualTo(updated.getRightId()).isEqualTo("NT-SVOD-1");
        assertThat(created.getRevision())
                .isEqualTo(Instant.parse("2026-11-01T10:00:00Z").toEpochMilli());
        assertThat(updated.getRevision())
                .isEqualTo(Instant.parse("2026-11-05T00:00:00Z").toEpochMilli());
        assertThat(rights.get(3).getStatus()).isEqualTo(RightStatus.REVOKED);
        assertThat(rights.get(4).getIssuedAt()).isEqualTo(FILE_ISSUED);
    }

    @Test
    void sameRightTwiceWithTheSameIssueTimeGetsAHigherRevisionInDocumentOrder() throws Exception {
        String tx =
                "<Transaction TransactionID='X-1'><LicenseType>EST</LicenseType>"
                        + "<Territory><country>US</country></Territory>"
                        + "<Start>2027-01-01</Start><EndCondition>Open</EndCondition>"
                        + "<FormatProfile>HD</FormatProfile></Transaction>";
        String avail =
                "<Avail><ALID>a-1</ALID><Disposition><EntryType>%s</EntryType>"
                        + "<IssueDate>2026-01-01T00:00:00Z</IssueDate></Disposition>"
                        + tx
                        + "</Avail>";
        AvailsResult result =
                parseXml(
                        "<AvailList xmlns='http://www.movielabs.com/schema/avails/v2.7/avails'>"
                                + avail.formatted("Create")
                                + avail.formatted("Delete")
                                + "</AvailList>");

        long issued = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        assertThat(result.rights())
                .extracting(RightEvent::getRevision, RightEvent::getStatus)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(issued, RightStatus.ACTIVE),
                        org.assertj.core.groups.Tuple.tuple(issued + 1, RightStatus.REVOKED));
    }

    @Test
    void aReusedIdIsAnErrorAndAnIdenticalRepeatIsADuplicate() throws Exception {
        String avail =
                "<Avail><ALID>%s</ALID><Disposition><EntryType>Full Extract</EntryType>"
                        + "</Disposition><Transaction TransactionID='D-1'><LicenseType>EST"
                        + "</LicenseType><Territory><country>US</country></Territory>"
                        + "<Start>2027-01-01</Start><EndCondition>Open</EndCondition>"
                        + "<FormatProfile>%s</FormatProfile></Transaction></Avail>";
        AvailsResult result =
                parseXml(
                        "<AvailList>"
                                + avail.formatted("a-1", "HD")
                                + avail.formatted("a-1", "HD")
                                + avail.formatted("a-1", "SD")
                                + avail.formatted("a-2", "HD")
                                + "</AvailList>");

        assertThat(result.rights()).extracting(RightEvent::getRightId).containsExactly("D-1");
        assertThat(result.notes())
                .containsExactly(
                        "avail a-1 transaction D-1: repeats avail a-1 transaction D-1 with the"
                                + " same terms; ignored as a duplicate");
        assertThat(result.errors())
                .containsExactly(
                        "avail a-1 transaction D-1: rightId D-1 is already used by avail a-1"
                                + " transaction D-1; one id must identify one right",
                        "avail a-2 transaction D-1: rightId D-1 is already used by avail a-1"
                                + " transaction D-1; one id must identify one right");
    }

    @Test
    void namespacesAreMatchedByLocalNameOnly() throws Exception {
        AvailsResult result =
                parseXml(
                        "<a:AvailList xmlns:a='urn:anything' xmlns:m='urn:else'><a:Avail>"
                                + "<a:ALID>alid-9</a:ALID><a:Disposition><a:EntryType>Update"
                                + "</a:EntryType></a:Disposition><a:Asset><a:Metadata>"
                                + "<a:EditEIDR-URN>10.5240/ABCD-ABCD-ABCD-ABCD-ABCD-7"
                                + "</a:EditEIDR-URN></a:Metadata></a:Asset>"
                                + "<a:Transaction TransactionID='t9'><a:LicenseType>AVOD"
                                + "</a:LicenseType><a:Territory><m:country>419</m:country>"
                                + "</a:Territory><a:Territory><m:country>eu</m:country>"
                                + "</a:Territory><a:StartCondition>Immediate</a:StartCondition>"
                                + "<a:EndCondition lag='P30D'>Immediate</a:EndCondition>"
                                + "<a:FormatProfile HDR='false'>SD</a:FormatProfile>"
                                + "</a:Transaction></a:Avail></a:AvailList>");

        assertThat(result.errors()).isEmpty();
        RightEvent right = result.rights().get(0);
        assertThat(right.getContentId()).isEqualTo("eidr:10.5240/ABCD-ABCD-ABCD-ABCD-ABCD-7");
        assertThat(right.getTerritory()).containsExactly("419", "EU");
        assertThat(right.getWindowStart()).isEqualTo("2026-11-20T08:00:00Z");
        assertThat(right.getWindowEnd()).isEqualTo("2026-12-20T08:00:00Z");
        assertThat(right.getFormatProfiles()).containsExactly("SD");
        assertThat(right.getLicenseType()).isEqualTo("AVOD");
    }

    @Test
    void subdivisionsAndMissingFieldsAreErrorsNamingTheField() throws Exception {
        AvailsResult result =
                parseXml(
                        "<AvailList><Avail><Disposition><EntryType>Replace</EntryType>"
                                + "</Disposition><Transaction TransactionID='t1'>"
                                + "<Territory><countryRegion>US-CA</countryRegion></Territory>"
                                + "<Start>2027-01-01</Start><End>soon</End>"
                                + "<FormatProfile>HD</FormatProfile></Transaction></Avail>"
                                + "</AvailList>");

        assertThat(result.rights()).isEmpty();
        assertThat(result.errors())
                .containsExactly(
                        "avail #1 transaction t1: Disposition/EntryType: unknown 'Replace'"
                                + " (expected Create, Update, Delete, Full Extract or Full"
                                + " Delete); ALID: missing; LicenseType: missing; Territory:"
                                + " countryRegion 'US-CA' is a subdivision; rights are by country"
                                + " or region code only; End: 'soon' is not an ISO-8601 date,"
                                + " local date-time or instant");
    }

    @Test
    void aDeleteNeedsNoResolvedCondition() throws Exception {
        AvailsResult result =
                parseXml(
                        "<AvailList><Avail><ALID>a</ALID><Disposition><EntryType>Full Delete"
                                + "</EntryType></Disposition><Transaction TransactionID='t'>"
                                + "<LicenseType>POEST</LicenseType><Territory><country>CA"
                                + "</country></Territory><StartCondition>TBD</StartCondition>"
                                + "<EndCondition>ESTStart</EndCondition><FormatProfile>HD"
                                + "</FormatProfile></Transaction></Avail></AvailList>");

        assertThat(result.notes()).isEmpty();
        assertThat(result.rights())
                .singleElement()
                .satisfies(
                        r -> {
                            assertThat(r.getStatus()).isEqualTo(RightStatus.REVOKED);
                            assertThat(r.getWindowStart()).isEqualTo("2026-11-20T08:00:00Z");
                        });
    }

    @Test
    void notAvailsIsRefused() {
        assertThatThrownBy(() -> parseXml("<MovieLabsMEC><Basic/></MovieLabsMEC>"))
                .isInstanceOf(NotAvailsException.class)
                .hasMessage(
                        "inline.xml is not an EMA Avails file (root element <MovieLabsMEC>,"
                                + " expected <AvailList>)");
        assertThatThrownBy(() -> parseXml("rightId,territory\n"))
                .isInstanceOf(NotAvailsException.class)
                .hasMessageStartingWith("inline.xml is not well-formed XML");
        assertThatThrownBy(() -> parseXml(""))
                .isInstanceOf(NotAvailsException.class)
                .hasMessage("inline.xml is empty");
    }

    @Test
    void timeArithmeticKeepsTheForm() throws IOException {
        assertThat(AvailTimes.plus("2027-01-01", "P1D")).isEqualTo("2027-01-02T00:00");
        assertThat(AvailTimes.plus("2027-01-01T06:00:00", "PT12H")).isEqualTo("2027-01-01T18:00");
        assertThat(AvailTimes.plus("2027-01-01T00:00:00+09:00", "P1M"))
                .isEqualTo("2027-02-01T00:00+09:00");
        assertThat(AvailTimes.plus("2027-01-31T00:00:00Z", "-P1DT1H"))
                .isEqualTo("2027-01-29T23:00:00Z");
        assertThat(AvailTimes.duration("14")).isEqualTo("P14D");
        assertThat(AvailTimes.duration("14.0")).isEqualTo("P14D");
        assertThatThrownBy(() -> AvailTimes.duration("two weeks"))
                .hasMessage("'two weeks' is not an xs:duration");
    }
}
