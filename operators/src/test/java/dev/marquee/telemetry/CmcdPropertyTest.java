package dev.marquee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.rights.Territories;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of the parser: it inverts the renderer, it is total, repairs do not change data. */
class CmcdPropertyTest {
    final CmcdParser parser = new CmcdParser();

    @Property(tries = 500)
    void parseInvertsRender(@ForAll("events") PlaybackEvent event, @ForAll CmcdRenderer.Form form) {
        String line = new CmcdRenderer().render(event, form);

        CmcdParser.Result result = parser.parse(line);

        assertThat(result.error()).as(line).isNull();
        assertThat(result.event()).as(line).isEqualTo(event);
    }

    @Property(tries = 300)
    void upperCaseKeysAndQuotedNumbersAreRepairedToTheSameEvent(
            @ForAll("events") PlaybackEvent event) {
        String line = new CmcdRenderer().render(event, CmcdRenderer.Form.HEADERS);
        String bent = line.replace("CMCD-Session=cid=", "CMCD-Session=CID=");
        if (event.getBitrateKbps() != null) {
            bent =
                    bent.replace(
                            "br=(" + event.getBitrateKbps() + ")",
                            "br=\"" + event.getBitrateKbps() + "\"");
        }

        PlaybackEvent parsed = parser.parse(bent).event();

        assertThat(parsed).isNotNull();
        assertThat(parsed.getRepairs()).contains("cid: key written as 'CID', keys are lower case");
        if (event.getBitrateKbps() != null) {
            assertThat(parsed.getRepairs())
                    .contains(
                            "br: quoted number "
                                    + event.getBitrateKbps()
                                    + " read as "
                                    + event.getBitrateKbps());
        }
        parsed.setRepairs(List.of());
        assertThat(parsed).isEqualTo(event);
    }

    @Property(tries = 1000)
    void anyLineGivesAnEventOrAReasonNeverAnException(@ForAll("noise") String line) {
        CmcdParser.Result result = parser.parse(line);

        assertThat(result.ok() ? result.event().getSessionId() : result.error()).isNotBlank();
    }

    @Provide
    Arbitrary<String> noise() {
        Arbitrary<String> fragments =
                Arbitraries.of(
                        "\t",
                        "=",
                        ",",
                        "\"",
                        "(",
                        ")",
                        ";",
                        "?",
                        "%",
                        "%2",
                        "{",
                        "}",
                        "[",
                        "]",
                        "CMCD=",
                        "CMCD-Session=",
                        "sid=",
                        "cid=",
                        "br=",
                        "e=ps",
                        "sta=",
                        "ts=",
                        "territory=DE",
                        "2026-11-20T20:00:00Z",
                        "url=/s?",
                        "\"s\"",
                        "12",
                        "-1",
                        "é",
                        "\\",
                        ":",
                        " ",
                        "{\"cmcd\":",
                        "\"sid\":\"x\"",
                        "true",
                        "null");
        return fragments.list().ofMaxSize(25).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<PlaybackEvent> events() {
        Arbitrary<PlaybackEventType> type = Arbitraries.of(PlaybackEventType.class);
        Arbitrary<String> sid =
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .numeric()
                        .withChars('-')
                        .ofMinLength(1)
                        .ofMaxLength(64);
        Arbitrary<String> cid =
                Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .ofMinLength(1)
                        .ofMaxLength(40)
                        .filter(s -> !s.isBlank());
        Arbitrary<Long> at = Arbitraries.longs().between(978_307_200_000L, 4_070_908_800_000L);
        Arbitrary<String> territory = Arbitraries.of(List.copyOf(Territories.countries()));
        Arbitrary<DeviceClass> device = Arbitraries.of(DeviceClass.class);
        Arbitrary<String> name =
                Arbitraries.strings()
                        .withCharRange('a', 'z')
                        .ofMinLength(1)
                        .ofMaxLength(3)
                        .flatMap(
                                p ->
                                        Arbitraries.strings()
                                                .withCharRange('a', 'z')
                                                .numeric()
                                                .withChars('-', '.')
                                                .ofMaxLength(10)
                                                .map(s -> p + s))
                        .injectNull(0.2);
        Arbitrary<Integer> kbps = Arbitraries.integers().between(0, 1_000_000).injectNull(0.3);
        Arbitrary<Integer> buffer = Arbitraries.integers().between(0, 3_600_000).injectNull(0.3);
        Arbitrary<Integer> license = Arbitraries.integers().between(0, 600_000).injectNull(0.5);
        Arbitrary<Boolean> hit = Arbitraries.of(true, false).injectNull(0.4);
        Arbitrary<String> format = Arbitraries.of("SD", "HD", "UHD", "HDR").injectNull(0.3);
        Arbitrary<String> error =
                Arbitraries.strings()
                        .withCharRange(' ', '~')
                        .excludeChars(',')
                        .ofMinLength(1)
                        .ofMaxLength(20)
                        .injectNull(0.6);
        Arbitrary<String> anyState =
                Arbitraries.of("s", "p", "k", "r", "a", "w", "e", "f", "q", "d").injectNull(0.3);

        Arbitrary<PlaybackEvent.Builder> identity =
                Combinators.combine(type, sid, cid, at, territory, device, name, name)
                        .as(
                                (t, s, c, a, terr, d, cdn, pop) ->
                                        PlaybackEvent.newBuilder()
                                                .setEventType(t)
                                                .setSessionId(s)
                                                .setContentId(c)
                                                .setAt(Instant.ofEpochMilli(a))
                                                .setTerritory(terr)
                                                .setDeviceClass(d)
                                                .setCdn(cdn)
                                                .setPop(pop)
                                                .setRepairs(List.of()));
        return Combinators.combine(identity, kbps, buffer, license, hit, format, error, anyState)
                .as(
                        (b, br, bl, lic, cache, fmt, ec, state) -> {
                            PlaybackEventType t = b.getEventType();
                            b.setBitrateKbps(br)
                                    .setBufferMs(
                                            t == PlaybackEventType.REBUFFER_END && bl == null
                                                    ? Integer.valueOf(1_500)
                                                    : bl)
                                    .setLicenseLatencyMs(lic)
                                    .setCacheHit(cache)
                                    .setFormatProfile(fmt)
                                    .setErrorCode(ec)
                                    .setPlayerState(stateFor(t, state));
                            return b.build();
                        });
    }

    /** The player state a play-state change of this type carries; any for the other types. */
    static String stateFor(PlaybackEventType type, String any) {
        return switch (type) {
            case START -> "s";
            case FIRST_FRAME, REBUFFER_END -> "p";
            case START_FAILURE -> "f";
            case REBUFFER_START -> "r";
            case END -> "q".equals(any) ? "q" : "e";
            default -> any;
        };
    }
}
