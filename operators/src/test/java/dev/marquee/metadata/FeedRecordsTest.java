package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.Provenance;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedRecordsTest {
    static FeedRecord record(String locale, String text, Identifier... ids) {
        return FeedRecord.newBuilder()
                .setVendor(" Acme ")
                .setVendorRecordId("A-1")
                .setIdentifiers(List.of(ids))
                .setTitles(
                        List.of(
                                LocalizedTitle.newBuilder()
                                        .setLocale(locale)
                                        .setText(text)
                                        .build()))
                .setReleaseYear(1984)
                .setRuntimeMinutes(105)
                .setProvenance(
                        Provenance.newBuilder()
                                .setSourceFeed("acme")
                                .setIngestedAt(Instant.parse("2026-11-20T08:00:00Z"))
                                .build())
                .build();
    }

    static Identifier id(String scheme, String value) {
        return Identifier.newBuilder().setScheme(scheme).setValue(value).build();
    }

    @Test
    void canonicalizesIdsRepairsTextFlagsBothAndIsIdempotent() {
        FeedRecords.Result result =
                FeedRecords.normalize(
                        record(
                                "fr-fr",
                                "AmÃ©lie",
                                id("imdb", "TT0211915"),
                                id("eidr", "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-K")));
        assertThat(result.problems()).isEmpty();
        FeedRecord r = result.record();
        assertThat(r.getVendor()).isEqualTo("acme");
        assertThat(r.getTitles().get(0).getText()).isEqualTo("Amélie");
        assertThat(r.getTitles().get(0).getLocale()).isEqualTo("fr-FR");
        assertThat(r.getIdentifiers())
                .extracting(i -> i.getScheme() + " " + i.getValue() + " " + i.getValid())
                .containsExactly(
                        "eidr 10.5240/7EC7-228A-510A-053E-CBB8-K false", "imdb tt0211915 true");
        assertThat(r.getFlags())
                .containsExactly(
                        "invalid-identifier:eidr:10.5240/7EC7-228A-510A-053E-CBB8-K",
                        "mojibake-repaired:fr-FR");
        assertThat(FeedRecords.normalize(r).record()).isEqualTo(r);
    }

    @Test
    void anUnknownLocaleRefusesTheRecordWithTheReason() {
        FeedRecords.Result result = FeedRecords.normalize(record("xx-XX", "Nowhere"));
        assertThat(result.ok()).isFalse();
        assertThat(result.problems())
                .singleElement()
                .asString()
                .contains("titles[0].locale")
                .contains("xx-XX");
    }
}
