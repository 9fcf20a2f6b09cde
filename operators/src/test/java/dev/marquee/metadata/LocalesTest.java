package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class LocalesTest {

    @ParameterizedTest
    @CsvSource({
        "en-us, en-US",
        "ja_JP, ja-JP",
        "zh-hant-tw, zh-Hant-TW",
        "es-419, es-419",
        "fil, fil",
        "fr, fr"
    })
    void acceptsAndCanonicalizesKnownLanguages(String tag, String canonical) {
        Locales.Result result = Locales.check(tag);
        assertThat(result.problem()).isNull();
        assertThat(result.canonical()).isEqualTo(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"xx-XX", "klingon", "en-QQ", "e", "", "und", "qqq"})
    void refusesUnknownOrIllFormedTagsWithAReason(String tag) {
        Locales.Result result = Locales.check(tag);
        assertThat(result.ok()).isFalse();
        assertThat(result.problem()).isNotBlank();
    }
}
