package dev.marquee.jobs.metadata;

import static dev.marquee.jobs.metadata.MetadataFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.metadata.FeedRecords;
import dev.marquee.schema.AssetRef;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A MEC-shaped record (sort title, second locale, artwork, vendor ids) merging with a JSON one. */
class MecLikeRecordTest {
    static final String EIDR = "10.5240/A1B2-C3D4-E5F6-0718-293A-6";

    static FeedRecord mec() {
        FeedRecord r =
                FeedRecord.newBuilder(
                                record(
                                        "northlight",
                                        "md:cid:eidr-s:A1B2-C3D4-E5F6-0718-293A-6",
                                        0,
                                        "The Lighthouse at Dusk",
                                        2019,
                                        104))
                        .setIdentifiers(
                                List.of(
                                        id("", "md:cid:eidr-s:A1B2-C3D4-E5F6-0718-293A-6"),
                                        id("IMDB", "tt9000001"),
                                        id("NORTHLIGHT", "NL-001")))
                        .setTitles(
                                List.of(
                                        title("en-US", "The Lighthouse at Dusk", "display"),
                                        title("en-US", "Lighthouse at Dusk, The", "sort"),
                                        title("ja-JP", "夕暮れの灯台", "display")))
                        .setAssets(
                                List.of(
                                        AssetRef.newBuilder()
                                                .setAssetId(
                                                        "md:imageid:org:northlight:NL-001:poster.en")
                                                .setKind("artwork")
                                                .setLanguage("en-US")
                                                .build()))
                        .build();
        return FeedRecords.normalize(r).record();
    }

    static FeedRecord json() {
        FeedRecord r =
                FeedRecord.newBuilder(record("acme", "A-101", 0, "x", 2019, 104))
                        .setIdentifiers(
                                List.of(
                                        id("", "urn:eidr:10.5240:A1B2-C3D4-E5F6-0718-293A-6"),
                                        id("", "https://www.imdb.com/title/tt9000001/")))
                        .setTitles(List.of(title("en-us", "Lighthouse at Dusk, The", "SORT")))
                        .build();
        return FeedRecords.normalize(r).record();
    }

    @Test
    void mergeInEitherOrder() throws Exception {
        for (boolean mecFirst : new boolean[] {true, false}) {
            try (var h = IdentityGraphTest.harness()) {
                IdentityGraphTest.feed(h, mecFirst ? mec() : json());
                IdentityGraphTest.feed(h, mecFirst ? json() : mec());
                assertThat(catalog(IdentityGraphTest.titles(h)).get("eidr:" + EIDR).getSources())
                        .hasSize(2);
            }
        }
    }

    static Identifier id(String scheme, String value) {
        return Identifier.newBuilder().setScheme(scheme).setValue(value).build();
    }

    static LocalizedTitle title(String locale, String text, String kind) {
        return LocalizedTitle.newBuilder().setLocale(locale).setText(text).setKind(kind).build();
    }
}
