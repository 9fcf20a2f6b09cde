package dev.marquee.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The three forms, the v1 and v2 mappings, each repair, and each reason a line is refused. */
class CmcdParserTest {
    static final String T = "2026-11-20T20:00:00Z";
    static final String SID = "sid=\"6e2fb550-c457-11e9-bb97-0800200c9a66\"";
    static final String LOG = "\tterritory=DE\tdevice=TV\tcdn=cdn-a\tpop=fra1";

    final CmcdParser parser = new CmcdParser();

    PlaybackEvent ok(String line) {
        CmcdParser.Result result = parser.parse(line);
        assertThat(result.error()).as(line).isNull();
        return result.event();
    }

    String error(String line) {
        CmcdParser.Result result = parser.parse(line);
        assertThat(result.ok()).as(line).isFalse();
        return result.error();
    }

    static String query(String cmcd) {
        return T
                + "\turl=https://fra1.cdn-a.example/v/seg.m4s?CMCD="
                + java.net.URLEncoder.encode(cmcd, java.nio.charset.StandardCharsets.UTF_8)
                + LOG;
    }

    @Nested
    class Forms {
        @Test
        void queryFormV1Segment() {
            PlaybackEvent e =
                    ok(
                            T
                                    + "\turl=https://fra1.cdn-a.example/v/seg.m4s?foo=1&CMCD=br%3D3200%2Cbl%3D21300%2Ccid%3D%22t-1%22%2Cot%3Dv%2C"
                                    + "sid%3D%226e2fb550-c457-11e9-bb97-0800200c9a66%22%2Csu&bar=2"
                                    + LOG
                                    + "\tcache=TCP_HIT\tformat=HD");

            assertThat(e.getEventType()).isEqualTo(PlaybackEventType.SEGMENT);
            assertThat(e.getSessionId()).isEqualTo("6e2fb550-c457-11e9-bb97-0800200c9a66");
            assertThat(e.getContentId()).isEqualTo("t-1");
            assertThat(e.getAt()).isEqualTo(Instant.parse(T));
            assertThat(e.getTerritory()).isEqualTo("DE");
            assertThat(e.getDeviceClass()).isEqualTo(DeviceClass.TV);
            assertThat(e.getCdn()).isEqualTo("cdn-a");
            assertThat(e.getPop()).isEqualTo("fra1");
            assertThat(e.getCacheHit()).isTrue();
            assertThat(e.getBitrateKbps()).isEqualTo(3200);
            assertThat(e.getBufferMs()).isEqualTo(21300);
            assertThat(e.getFormatProfile()).isEqualTo("HD");
            assertThat(e.getPlayerState()).isNull();
            assertThat(e.getRepairs()).isEmpty();
        }

        @Test
        void headerFormLicenseRequest() {
            PlaybackEvent e =
                    ok(
                            T
                                    + "\turl=https://license.example/v1/license"
                                    + "\tCMCD-Object=ot=k\tCMCD-Request=bl=0"
                                    + "\tCMCD-Session=cid=\"t-1\","
                                    + SID
                                    + ",sf=d,st=v"
                                    + "\tCMCD-Status=rtp=15000"
                                    + LOG
                                    + "\tlicense_ms=48");

            assertThat(e.getEventType()).isEqualTo(PlaybackEventType.LICENSE_REQUEST);
            assertThat(e.getLicenseLatencyMs()).isEqualTo(48);
            assertThat(e.getRepairs()).isEmpty();
        }

        @Test
        void jsonFormWithACmcdObjectOrTopLevelKeys() {
            PlaybackEvent nested =
                    ok(
                            "{\"time\":\""
                                    + T
                                    + "\",\"territory\":\"JP\",\"device\":\"MOBILE\",\"cache\":\"MISS\","
                                    + "\"cmcd\":{\"br\":[4500],\"sid\":\"s-1\",\"cid\":\"t-1\",\"e\":\"bc\",\"sta\":\"p\",\"v\":2}}");
            PlaybackEvent flat =
                    ok(
                            "{\"time\":1795204800000,\"territory\":\"JP\",\"device\":\"MOBILE\","
                                    + "\"br\":4500,\"sid\":\"s-1\",\"cid\":\"t-1\",\"e\":\"bc\",\"sta\":\"p\"}");

            assertThat(nested.getEventType()).isEqualTo(PlaybackEventType.BITRATE_SWITCH);
            assertThat(nested.getBitrateKbps()).isEqualTo(4500);
            assertThat(nested.getCacheHit()).isFalse();
            assertThat(nested.getRepairs()).isEmpty();
            assertThat(flat.getEventType()).isEqualTo(PlaybackEventType.BITRATE_SWITCH);
            assertThat(flat.getAt()).isEqualTo(Instant.parse(T));
            assertThat(flat.getRepairs()).isEmpty();
        }

        @Test
        void headerAndQueryKeysAreMerged() {
            PlaybackEvent e =
                    ok(
                            T
                                    + "\turl=/v/seg.m4s?CMCD=br%3D800"
                                    + "\tCMCD-Session=cid=\"t-1\","
                                    + SID
                                    + LOG);
            assertThat(e.getBitrateKbps()).isEqualTo(800);
        }
    }

    @Nested
    class V2Events {
        PlaybackEvent event(String cmcd) {
            return ok(query(cmcd + ",cid=\"t-1\"," + SID));
        }

        @Test
        void playStateChangesMapToPlaybackEvents() {
            assertThat(event("e=ps,sta=s").getEventType()).isEqualTo(PlaybackEventType.START);
            assertThat(event("e=ps,sta=p,msd=850").getEventType())
                    .isEqualTo(PlaybackEventType.FIRST_FRAME);
            assertThat(event("e=ps,sta=r,bl=(0)").getEventType())
                    .isEqualTo(PlaybackEventType.REBUFFER_START);
            PlaybackEvent rebufferEnd = event("e=ps,sta=p,bsd=(1200)");
            assertThat(rebufferEnd.getEventType()).isEqualTo(PlaybackEventType.REBUFFER_END);
            assertThat(rebufferEnd.getBufferMs()).isEqualTo(1200);
            assertThat(event("e=ps,sta=f,ec=(\"MEDIA-DECODE\")").getEventType())
                    .isEqualTo(PlaybackEventType.START_FAILURE);
            PlaybackEvent fatal = event("e=ps,sta=f,pt=360000,ec=(\"DRM-KEY-EXPIRED\")");
            assertThat(fatal.getEventType()).isEqualTo(PlaybackEventType.ERROR);
            assertThat(fatal.getErrorCode()).isEqualTo("DRM-KEY-EXPIRED");
            assertThat(event("e=ps,sta=e").getEventType()).isEqualTo(PlaybackEventType.END);
            PlaybackEvent quit = event("e=ps,sta=q");
            assertThat(quit.getEventType()).isEqualTo(PlaybackEventType.END);
            assertThat(quit.getPlayerState()).isEqualTo("q");
            assertThat(event("e=ps,sta=a").getEventType()).isEqualTo(PlaybackEventType.OTHER);
        }

        @Test
        void otherEventsAndErrors() {
            PlaybackEvent error = event("e=e,ec=(\"SEG-503\" \"RETRY\"),sta=p");
            assertThat(error.getEventType()).isEqualTo(PlaybackEventType.ERROR);
            assertThat(error.getErrorCode()).isEqualTo("SEG-503,RETRY");
            assertThat(error.getPlayerState()).isEqualTo("p");
            assertThat(event("e=t").getEventType()).isEqualTo(PlaybackEventType.OTHER);
            assertThat(event("e=m").getRepairs()).isEmpty();
        }

        @Test
        void v2ListsTakeTheFirstNonAudioValue() {
            PlaybackEvent e = event("br=(128;a 3200;v),bl=(21300)");
            assertThat(e.getBitrateKbps()).isEqualTo(3200);
            assertThat(e.getBufferMs()).isEqualTo(21300);
        }

        @Test
        void theTimestampKeyWinsOverTheLogTime() {
            assertThat(event("e=ps,sta=s,ts=1795204801500").getAt())
                    .isEqualTo(Instant.parse("2026-11-20T20:00:01.500Z"));
        }

        @Test
        void anHttpErrorStatusOnARequestIsAnError() {
            PlaybackEvent e = ok(query("ot=v,cid=\"t-1\"," + SID) + "\tstatus=503");
            assertThat(e.getEventType()).isEqualTo(PlaybackEventType.ERROR);
            assertThat(e.getErrorCode()).isEqualTo("http-503");
        }
    }

    @Nested
    class Repairs {
        PlaybackEvent repaired(String cmcd) {
            return ok(query(cmcd));
        }

        @Test
        void quotedNumbersAreRead() {
            PlaybackEvent e = repaired("br=\"3200\",cid=\"t-1\"," + SID);
            assertThat(e.getBitrateKbps()).isEqualTo(3200);
            assertThat(e.getRepairs()).containsExactly("br: quoted number 3200 read as 3200");
        }

        @Test
        void upperCaseKeysAndTokensAreRead() {
            PlaybackEvent e = repaired("BR=3200,Cid=\"t-1\",OT=K," + SID);
            assertThat(e.getEventType()).isEqualTo(PlaybackEventType.LICENSE_REQUEST);
            assertThat(e.getBitrateKbps()).isEqualTo(3200);
            assertThat(e.getRepairs())
                    .contains(
                            "br: key written as 'BR', keys are lower case",
                            "cid: key written as 'Cid', keys are lower case",
                            "ot: token 'K' read as 'k'");
        }

        @Test
        void anUnquotedUuidSessionIdIsRead() {
            PlaybackEvent e = repaired("cid=\"t-1\",sid=6e2fb550-c457-11e9-bb97-0800200c9a66");
            assertThat(e.getSessionId()).isEqualTo("6e2fb550-c457-11e9-bb97-0800200c9a66");
            assertThat(e.getRepairs())
                    .containsExactly(
                            "sid: unquoted value 6e2fb550-c457-11e9-bb97-0800200c9a66 read as a"
                                    + " string");
        }

        @Test
        void outOfRangeValuesAreClamped() {
            PlaybackEvent e = repaired("bl=-300,br=5000000,cid=\"t-1\"," + SID);
            assertThat(e.getBufferMs()).isZero();
            assertThat(e.getBitrateKbps()).isEqualTo(1_000_000);
            assertThat(e.getRepairs())
                    .containsExactlyInAnyOrder(
                            "br: 5000000 is above 1000000: clamped",
                            "bl: -300 is below 0: clamped");
        }

        @Test
        void decimalsBooleansAndListsAreCoerced() {
            PlaybackEvent e =
                    repaired("br=3200.6,e=e,ec=\"NET-1\",sta=\"p\",bs=true,cid=\"t-1\"," + SID);
            assertThat(e.getBitrateKbps()).isEqualTo(3201);
            assertThat(e.getErrorCode()).isEqualTo("NET-1");
            assertThat(e.getPlayerState()).isEqualTo("p");
            assertThat(e.getRepairs())
                    .contains(
                            "br: decimal 3200.6 rounded to 3201",
                            "ec: NET-1 without list notation read as a list",
                            "sta: quoted token \"p\" read as a token");
        }

        @Test
        void timestampsInSecondsAndLogTimesWithoutZone() {
            PlaybackEvent seconds = repaired("e=ps,sta=s,ts=1795204800,cid=\"t-1\"," + SID);
            PlaybackEvent noZone =
                    ok(
                            "2026-11-20 20:00:00\turl=/s?CMCD=cid%3D%22t-1%22%2C"
                                    + SID.replace("=", "%3D").replace("\"", "%22")
                                    + LOG);
            assertThat(seconds.getAt()).isEqualTo(Instant.parse(T));
            assertThat(seconds.getRepairs())
                    .contains("ts: 1795204800 is in seconds, read as milliseconds");
            assertThat(noZone.getAt()).isEqualTo(Instant.parse(T));
            assertThat(noZone.getRepairs())
                    .contains("time: '2026-11-20 20:00:00' has no zone: read as UTC");
        }

        @Test
        void logFieldsInOtherSpellings() {
            PlaybackEvent e =
                    ok(
                            T
                                    + "\turl=/s?CMCD=cid%3D%22t-1%22%2C"
                                    + SID.replace("=", "%3D").replace("\"", "%22")
                                    + "\tterritory=uk\tdevice=SmartTV\tformat=4k\tcache=Hit from cloudfront");
            assertThat(e.getTerritory()).isEqualTo("GB");
            assertThat(e.getDeviceClass()).isEqualTo(DeviceClass.TV);
            assertThat(e.getFormatProfile()).isEqualTo("UHD");
            assertThat(e.getCacheHit()).isTrue();
            assertThat(e.getRepairs())
                    .containsExactly(
                            "territory: 'UK' read as GB (ISO 3166-1)",
                            "device: 'SmartTV' read as TV",
                            "format: '4k' read as UHD");
        }

        @Test
        void doublePercentEncodingIsUndone() {
            PlaybackEvent e =
                    ok(T + "\turl=/s?CMCD=cid%253D%2522t-1%2522%252Csid%253D%2522s-1%2522" + LOG);
            assertThat(e.getSessionId()).isEqualTo("s-1");
            assertThat(e.getRepairs())
                    .containsExactly("CMCD query argument was percent-encoded twice");
        }

        @Test
        void keysInTheWrongHeaderAreStillRead() {
            PlaybackEvent e = ok(T + "\tCMCD-Session=br=800,cid=\"t-1\"," + SID + LOG);
            assertThat(e.getBitrateKbps()).isEqualTo(800);
            assertThat(e.getRepairs())
                    .containsExactly("br: sent in CMCD-Session, belongs in CMCD-Object");
        }

        @Test
        void valuesThatCannotBeUnderstoodAreDroppedWithAReason() {
            PlaybackEvent e = ok(query("br=fast,sta=x,cid=\"t-1\"," + SID) + "\tcache=REVALIDATED");
            assertThat(e.getBitrateKbps()).isNull();
            assertThat(e.getPlayerState()).isNull();
            assertThat(e.getCacheHit()).isNull();
            assertThat(e.getRepairs())
                    .contains(
                            "br: 'fast' is not a number: skipped",
                            "sta: 'x' is not a CMCD player state: skipped",
                            "cache: 'REVALIDATED' is neither a hit nor a miss: left empty");
        }
    }

    @Nested
    class Refused {
        @Test
        void missingSessionOrContentId() {
            assertThat(error(query("br=800,cid=\"t-1\"")))
                    .isEqualTo("sid: missing; every CMCD line needs the session id");
            CmcdParser.Result noCid = parser.parse(query("br=800," + SID));
            assertThat(noCid.error())
                    .isEqualTo("cid: missing; every CMCD line needs the content id");
            assertThat(noCid.sessionId()).isEqualTo("6e2fb550-c457-11e9-bb97-0800200c9a66");
        }

        @Test
        void badOrMissingTerritoryAndTime() {
            String cmcd = "cid=\"t-1\"," + SID;
            assertThat(error(query(cmcd).replace("territory=DE", "territory=XX")))
                    .isEqualTo("territory 'XX' is not an ISO 3166-1 alpha-2 country");
            assertThat(error(query(cmcd).replace("\tterritory=DE", "")))
                    .isEqualTo("territory: missing; the viewer's country is required");
            assertThat(error(query(cmcd).replace(T, "yesterday")))
                    .isEqualTo("time 'yesterday' is not an ISO-8601 instant or epoch time");
        }

        @Test
        void notALogLine() {
            assertThat(error("GET /index.html 200")).startsWith("not a CMCD log line");
            assertThat(error("{\"time\": ")).startsWith("not valid JSON");
            assertThat(error(T + "\turl=/index.html" + LOG)).startsWith("no CMCD data");
            assertThat(error(T + "\tCMCD-Session=???" + LOG))
                    .isEqualTo("CMCD-Session '???' is not a CMCD dictionary");
        }
    }
}
