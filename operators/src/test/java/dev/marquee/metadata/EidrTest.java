package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** EIDR check characters against real registered ids, and every spelling feeds use. */
class EidrTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.5240/7EC7-228A-510A-053E-CBB8-J", // Ghostbusters
                "10.5240/6FE7-5382-637F-2E34-7518-O", // Dodgeball
                "10.5240/2156-FA16-777A-20BF-AF2B-C",
                "10.5240/77C5-ED35-8FC2-7D9D-9531-1",
                "10.5240/03E7-AD56-0F60-2392-A1FF-K",
                "10.5240/0C5B-71BC-CFBF-4B09-2D29-7",
                "10.5240/F926-336C-2666-0201-54E9-I"
            })
    void realRegisteredIdsAreValid(String id) {
        Eidr.Check check = Eidr.check(id);
        assertThat(check.status()).isEqualTo(Eidr.Status.VALID);
        assertThat(check.canonical()).contains(id);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "urn:eidr:10.5240:7EC7-228A-510A-053E-CBB8-J",
                "md:cid:eidr-s:7EC7-228A-510A-053E-CBB8-J",
                "10.5240/7ec7-228a-510a-053e-cbb8-j",
                "  10.5240/7EC7228A510A053ECBB8J ",
                "doi:10.5240/7EC7-228A-510A-053E-CBB8-J",
                "https://doi.org/10.5240/7EC7-228A-510A-053E-CBB8-J"
            })
    void everySpellingCanonicalizesToTheDoiForm(String spelling) {
        Eidr.Check check = Eidr.check(spelling);
        assertThat(check.status()).isEqualTo(Eidr.Status.VALID);
        assertThat(check.canonical()).contains("10.5240/7EC7-228A-510A-053E-CBB8-J");
        assertThat(check.input()).isEqualTo(spelling);
    }

    @Test
    void aWrongCheckCharacterIsBadCheckAndSaysWhichItShouldBe() {
        Eidr.Check check = Eidr.check("10.5240/7EC7-228A-510A-053E-CBB8-K");
        assertThat(check.status()).isEqualTo(Eidr.Status.BAD_CHECK);
        assertThat(check.canonical()).contains("10.5240/7EC7-228A-510A-053E-CBB8-K");
        assertThat(check.expectedCheck()).contains('J');
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "10.5240/7EC7-228A-510A-053E-CBB8",
                "10.5240/7EC7-228A-510A-053E-CBBG-J",
                "10.5240/",
                "",
                "tt0087332",
                "10.5240/6FE7-5382-637F-2E34-7518-"
            })
    void anythingElseIsMalformed(String input) {
        assertThat(Eidr.check(input).status()).isEqualTo(Eidr.Status.MALFORMED);
        assertThat(Eidr.check(input).canonical()).isEmpty();
    }

    @Property
    void everyComputedCheckValidatesAndEveryOtherCharacterDoesNot(
            @ForAll
                    @StringLength(20)
                    @CharRange(from = '0', to = '9')
                    @CharRange(from = 'A', to = 'F')
                    String digits) {
        char check = Eidr.checkCharacter(digits);
        String id = Eidr.PREFIX + digits + check;
        assertThat(Eidr.check(id).status()).isEqualTo(Eidr.Status.VALID);
        char other = check == 'Z' ? '0' : (char) (check == '9' ? 'A' : check + 1);
        assertThat(Eidr.check(Eidr.PREFIX + digits + other).status())
                .isEqualTo(Eidr.Status.BAD_CHECK);
    }
}
