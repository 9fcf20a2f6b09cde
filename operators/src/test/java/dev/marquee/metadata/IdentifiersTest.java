package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.Identifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifiersTest {

    @ParameterizedTest
    @CsvSource({
        "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J, eidr, 10.5240/7EC7-228A-510A-053E-CBB8-J, true",
        "md:cid:eidr-s:6FE7-5382-637F-2E34-7518-O, eidr, 10.5240/6FE7-5382-637F-2E34-7518-O, true",
        "10.5240/6FE7-5382-637F-2E34-7518-X, eidr, 10.5240/6FE7-5382-637F-2E34-7518-X, false",
        "TT0087332, imdb, tt0087332, true",
        "https://www.imdb.com/title/tt0087332/, imdb, tt0087332, true",
        "imdb:tt0087332, imdb, tt0087332, true",
        "tmdb:movie:620, tmdb-movie, 620, true",
        "https://www.themoviedb.org/movie/620-ghostbusters, tmdb-movie, 620, true",
        "tmdb-tv:1399, tmdb-tv, 1399, true",
        "tmdb:620, tmdb, tmdb:620, false",
        "md:cid:org:STUDIO:GB-1984, vendor:studio, GB-1984, true",
        "SONY-000123, vendor:acme, SONY-000123, true"
    })
    void parsesEveryCommonSpelling(String raw, String scheme, String value, boolean valid) {
        Identifier id = Identifiers.parse(raw, "Acme");
        assertThat(id.getScheme()).isEqualTo(scheme);
        assertThat(id.getValue()).isEqualTo(value);
        assertThat(id.getValid()).isEqualTo(valid);
    }

    @Test
    void schemeAndValuePairsCanonicalizeLikeFreeText() {
        assertThat(Identifiers.canonical("EIDR-S", "7EC7-228A-510A-053E-CBB8-J", "acme"))
                .isEqualTo(Identifiers.parse("10.5240/7EC7-228A-510A-053E-CBB8-J", "x"));
        assertThat(Identifiers.canonical("IMDB", "tt0087332", "acme").getScheme())
                .isEqualTo("imdb");
        assertThat(Identifiers.canonical("ORG", "TEST", "acme").getScheme())
                .isEqualTo("vendor:org");
        Identifier flagged =
                Identifier.newBuilder()
                        .setScheme("imdb")
                        .setValue("tt0087332")
                        .setValid(false)
                        .build();
        assertThat(Identifiers.canonical(flagged, "acme").getValid())
                .as("a flag set upstream stays")
                .isFalse();
    }

    @Test
    void contentIdsRoundTrip() {
        for (String raw :
                new String[] {
                    "10.5240/7EC7-228A-510A-053E-CBB8-J",
                    "tt0087332",
                    "tmdb:tv:1399",
                    "md:cid:org:studio:a:b"
                }) {
            Identifier id = Identifiers.parse(raw, "acme");
            assertThat(Identifiers.fromContentId(Identifiers.contentId(id))).isEqualTo(id);
        }
        assertThat(Identifiers.contentId(Identifiers.parse("tt0087332", null)))
                .isEqualTo("imdb:tt0087332");
    }
}
