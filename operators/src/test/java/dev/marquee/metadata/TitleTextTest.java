package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class TitleTextTest {

    static String doubleEncode(String s, String charset) {
        return new String(s.getBytes(StandardCharsets.UTF_8), Charset.forName(charset));
    }

    @Test
    void repairsUtf8ReadAsLatin1OrWindows1252() {
        assertThat(TitleText.repairDoubleEncoding("AmÃ©lie")).contains("Amélie");
        assertThat(
                        TitleText.repairDoubleEncoding(
                                doubleEncode("Léon – The Professional", "windows-1252")))
                .contains("Léon – The Professional");
        assertThat(TitleText.repairDoubleEncoding(doubleEncode("千と千尋の神隠し", "ISO-8859-1")))
                .contains("千と千尋の神隠し");
    }

    @Test
    void leavesCorrectTextAlone() {
        assertThat(TitleText.repairDoubleEncoding("Amélie")).isEmpty();
        assertThat(TitleText.repairDoubleEncoding("Ghostbusters")).isEmpty();
        assertThat(TitleText.repairDoubleEncoding("千と千尋の神隠し")).isEmpty();
        assertThat(TitleText.repairDoubleEncoding("Ça tourne à Manhattan")).isEmpty();
    }

    @Property
    void aRepairedTextIsNeverRepairedAgain(@ForAll String text) {
        String once = TitleText.repairDoubleEncoding(text).orElse(text);
        assertThat(TitleText.repairDoubleEncoding(once)).isEmpty();
    }

    @Test
    void matchKeysIgnoreCaseAccentsPunctuationWhitespaceAndArticles() {
        assertThat(TitleText.matchKey("  The   Matrix ")).isEqualTo("matrix");
        assertThat(TitleText.matchKey("Matrix, The")).isEqualTo("matrix");
        assertThat(TitleText.matchKey("AMÉLIE")).isEqualTo(TitleText.matchKey("Ame\u0301lie"));
        assertThat(TitleText.matchKey("Fast & Furious")).isEqualTo("fast and furious");
    }
}
