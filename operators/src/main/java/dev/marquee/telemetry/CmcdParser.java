package dev.marquee.telemetry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.marquee.rights.Territories;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns one CMCD request-log line into a {@link PlaybackEvent}: the {@code CMCD=} query form, the
 * four {@code CMCD-*} header form or the JSON form, CMCD v1 keys and the v2 (CTA-5004-A/B) event
 * and player-state keys. The line format and the mapping are in docs/telemetry.md.
 *
 * <p>Players send out-of-spec values. What can be understood is read and each repair is written to
 * the event's {@code repairs} (a quoted number, upper-case keys or tokens, a bare UUID as sid, a
 * timestamp in seconds, a value out of range clamped, ...). A line that cannot give an event (no
 * session id, no content id, no time, no known territory, not a log line at all) comes back as an
 * error with the reason, never as an exception. Instances are stateless and thread-safe.
 */
public final class CmcdParser {

    /** One line's outcome: an event, or the reason there is none (and the sid if one was read). */
    public record Result(PlaybackEvent event, String error, String sessionId) {
        public boolean ok() {
            return event != null;
        }

        static Result invalid(String error, String sessionId) {
            return new Result(null, error, sessionId);
        }
    }

    static final long MAX_KBPS = 1_000_000;
    static final long MAX_BUFFER_MS = 3_600_000;
    static final long MAX_LICENSE_MS = 600_000;
    private static final long YEAR_2000 = 946_684_800_000L;
    private static final long YEAR_2100 = 4_102_444_800_000L;

    private static final Set<String> PLAYER_STATES =
            Set.of("s", "p", "k", "r", "a", "w", "e", "f", "q", "d");
    private static final Set<String> OTHER_EVENTS =
            Set.of(
                    "t", "c", "b", "m", "um", "pe", "pc", "rr", "as", "ae", "abs", "abe", "sk",
                    "ce");

    private static final Map<String, DeviceClass> DEVICE_SYNONYMS =
            Map.ofEntries(
                    Map.entry("SMARTTV", DeviceClass.TV),
                    Map.entry("SMART_TV", DeviceClass.TV),
                    Map.entry("CTV", DeviceClass.TV),
                    Map.entry("PHONE", DeviceClass.MOBILE),
                    Map.entry("SMARTPHONE", DeviceClass.MOBILE),
                    Map.entry("PC", DeviceClass.DESKTOP),
                    Map.entry("WEB", DeviceClass.DESKTOP),
                    Map.entry("BROWSER", DeviceClass.DESKTOP),
                    Map.entry("LAPTOP", DeviceClass.DESKTOP),
                    Map.entry("PAD", DeviceClass.TABLET),
                    Map.entry("SETTOPBOX", DeviceClass.STB),
                    Map.entry("SET-TOP", DeviceClass.STB),
                    Map.entry("SET_TOP_BOX", DeviceClass.STB),
                    Map.entry("GAMECONSOLE", DeviceClass.CONSOLE),
                    Map.entry("GAME_CONSOLE", DeviceClass.CONSOLE));

    private static final Set<String> FORMATS = Set.of("SD", "HD", "UHD", "HDR");
    private static final Map<String, String> FORMAT_SYNONYMS =
            Map.of("4K", "UHD", "2160P", "UHD", "1080P", "HD", "720P", "HD", "FHD", "HD");

    private final ObjectMapper json = new ObjectMapper();

    /** The log fields of a line (everything that is not CMCD), by normalized name. */
    private static final class LogFields {
        String time;
        String url;
        String territory;
        String device;
        String cdn;
        String pop;
        String cache;
        String format;
        String licenseMs;
        String status;

        void set(String name, String value) {
            switch (name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "")) {
                case "time", "timestamp" -> time = value;
                case "url" -> url = value;
                case "territory", "country" -> territory = value;
                case "device", "deviceclass" -> device = value;
                case "cdn" -> cdn = value;
                case "pop" -> pop = value;
                case "cache", "cachestatus", "xcache" -> cache = value;
                case "format", "formatprofile" -> format = value;
                case "licensems", "licenselatencyms" -> licenseMs = value;
                case "status" -> status = value;
                default -> {} // other log fields are not Marquee's business
            }
        }
    }

    /** Parses one line (without its line break). */
    public Result parse(String line) {
        if (line == null || line.isBlank()) {
            return Result.invalid("empty line", null);
        }
        List<String> repairs = new ArrayList<>();
        CmcdData data = new CmcdData(repairs);
        LogFields log = new LogFields();
        String stripped = line.strip();
        String problem =
                stripped.startsWith("{")
                        ? readJson(stripped, log, data)
                        : readTabSeparated(stripped, log, data, repairs);
        if (problem == null && log.url != null) {
            problem = readQuery(log.url, data, repairs);
        }
        String sid = data.has(CmcdKey.SID) ? data.string(CmcdKey.SID) : null;
        if (sid != null && sid.isBlank()) {
            sid = null;
        }
        if (problem != null) {
            return Result.invalid(problem, sid);
        }
        if (!data.present()) {
            return Result.invalid(
                    "no CMCD data: no CMCD= query argument, CMCD-* header or cmcd object", null);
        }
        return interpret(log, data, repairs, sid);
    }

    // ---- the three forms -------------------------------------------------------------------

    private String readTabSeparated(
            String line, LogFields log, CmcdData data, List<String> repairs) {
        String[] fields = line.split("\t");
        if (fields.length < 2) {
            return "not a CMCD log line: expected tab-separated fields (time, then name=value)";
        }
        log.time = fields[0].strip();
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i];
            if (field.isBlank()) {
                continue;
            }
            int eq = field.indexOf('=');
            if (eq <= 0) {
                repairs.add(
                        "field "
                                + (i + 1)
                                + " '"
                                + CmcdData.abbreviate(field)
                                + "' is not name=value: skipped");
                continue;
            }
            String name = field.substring(0, eq).strip();
            String value = field.substring(eq + 1).strip();
            CmcdKey.Header header = CmcdKey.Header.byFieldName(name);
            if (header != null) {
                String problem = data.addDictionary(value, header);
                if (problem != null) {
                    return problem;
                }
            } else if (name.equalsIgnoreCase("cmcd")) {
                String problem = data.addDictionary(value, null);
                if (problem != null) {
                    return problem;
                }
            } else {
                log.set(name, value.isEmpty() || value.equals("-") ? null : value);
            }
        }
        return null;
    }

    private String readJson(String line, LogFields log, CmcdData data) {
        JsonNode root;
        try {
            root = json.readTree(line);
        } catch (JsonProcessingException e) {
            return "not valid JSON: " + e.getOriginalMessage();
        }
        if (!root.isObject()) {
            return "not a JSON object";
        }
        JsonNode cmcd = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode v = field.getValue();
            if (field.getKey().equalsIgnoreCase("cmcd")) {
                cmcd = v;
            } else if (!v.isNull() && !v.isContainerNode()) {
                log.set(field.getKey(), v.asText());
            }
        }
        if (cmcd == null) {
            // CMCD keys at the top level, beside the log fields.
            data.addJson(root);
        } else if (cmcd.isArray()) {
            if (cmcd.size() != 1 || !cmcd.get(0).isObject()) {
                return "cmcd holds " + cmcd.size() + " reports; one report per line";
            }
            data.addJson(cmcd.get(0));
        } else if (cmcd.isObject()) {
            data.addJson(cmcd);
        } else if (cmcd.isTextual()) {
            return data.addDictionary(cmcd.asText(), null);
        } else {
            return "cmcd is neither an object nor a dictionary string";
        }
        return null;
    }

    /** The CMCD= argument of a request URL, percent-decoded. */
    private static String readQuery(String url, CmcdData data, List<String> repairs) {
        int q = url.indexOf('?');
        if (q < 0) {
            return null;
        }
        int hash = url.indexOf('#', q);
        String query = url.substring(q + 1, hash < 0 ? url.length() : hash);
        for (String arg : query.split("&")) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (!name.equalsIgnoreCase("CMCD")) {
                continue;
            }
            if (!name.equals("CMCD")) {
                repairs.add("query argument written as '" + name + "', it is CMCD");
            }
            String value = eq < 0 ? "" : percentDecode(arg.substring(eq + 1));
            if (value == null) {
                return "CMCD query argument has a broken percent-encoding";
            }
            String lower = value.toLowerCase(Locale.ROOT);
            if (lower.contains("%3d") || lower.contains("%2c") || lower.contains("%22")) {
                String again = percentDecode(value);
                if (again != null) {
                    repairs.add("CMCD query argument was percent-encoded twice");
                    value = again;
                }
            }
            return data.addDictionary(value, null);
        }
        return null;
    }

    /**
     * Query-string decoding as browsers' URLSearchParams does it (players build CMCD with it):
     * percent escapes as UTF-8, '+' as a space. Null when an escape is broken.
     */
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    return null;
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+') {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    // ---- from keys to an event -------------------------------------------------------------

    private Result interpret(LogFields log, CmcdData data, List<String> repairs, String sid) {
        if (sid == null) {
            return Result.invalid("sid: missing; every CMCD line needs the session id", null);
        }
        String cid = data.string(CmcdKey.CID);
        if (cid == null || cid.isBlank()) {
            return Result.invalid("cid: missing; every CMCD line needs the content id", sid);
        }
        Long at = eventTime(log, data, repairs);
        if (at == null) {
            return Result.invalid(
                    log.time == null
                            ? "no event time: neither a log time nor a CMCD ts"
                            : "time '"
                                    + CmcdData.abbreviate(log.time)
                                    + "' is not an ISO-8601 instant or epoch time",
                    sid);
        }
        String territory = territory(log.territory, repairs);
        if (territory == null) {
            return Result.invalid(
                    log.territory == null
                            ? "territory: missing; the viewer's country is required"
                            : "territory '"
                                    + CmcdData.abbreviate(log.territory)
                                    + "' is not an ISO 3166-1 alpha-2 country",
                    sid);
        }

        String sta = data.token(CmcdKey.STA);
        if (sta != null && !PLAYER_STATES.contains(sta)) {
            repairs.add("sta: '" + sta + "' is not a CMCD player state: skipped");
            sta = null;
        }
        String e = data.token(CmcdKey.E);
        String ot = data.token(CmcdKey.OT);
        Long status = number("status", log.status, repairs);
        List<String> ec = data.strings(CmcdKey.EC);
        String errorCode = ec == null || ec.isEmpty() ? null : String.join(",", ec);

        PlaybackEventType type;
        if (e != null) {
            type =
                    switch (e) {
                        case "ps" -> playStateChange(sta, data, repairs);
                        case "e" -> PlaybackEventType.ERROR;
                        case "bc" -> PlaybackEventType.BITRATE_SWITCH;
                        default -> {
                            if (!OTHER_EVENTS.contains(e)) {
                                repairs.add("e: '" + e + "' is not a CMCD event: read as OTHER");
                            }
                            yield PlaybackEventType.OTHER;
                        }
                    };
        } else if (status != null && status >= 400) {
            type = PlaybackEventType.ERROR;
            if (errorCode == null) {
                errorCode = "http-" + status;
            }
        } else if ("k".equals(ot)) {
            type = PlaybackEventType.LICENSE_REQUEST;
        } else {
            type = PlaybackEventType.SEGMENT;
        }

        Integer buffer =
                type == PlaybackEventType.REBUFFER_END
                        ? clamp("bsd", data.integer(CmcdKey.BSD), 0, MAX_BUFFER_MS, repairs)
                        : clamp("bl", data.integer(CmcdKey.BL), 0, MAX_BUFFER_MS, repairs);
        Long license = number("license_ms", log.licenseMs, repairs);
        if (license == null && type == PlaybackEventType.LICENSE_REQUEST) {
            license = data.integer(CmcdKey.TTLB);
        }
        String cdn = log.cdn != null ? log.cdn : data.string(CmcdKey.CDN);

        PlaybackEvent event =
                PlaybackEvent.newBuilder()
                        .setSessionId(sid)
                        .setEventType(type)
                        .setAt(Instant.ofEpochMilli(at))
                        .setContentId(cid)
                        .setTerritory(territory)
                        .setDeviceClass(device(log.device, repairs))
                        .setCdn(cdn)
                        .setPop(log.pop)
                        .setCacheHit(cacheHit(log.cache, repairs))
                        .setBitrateKbps(clamp("br", data.integer(CmcdKey.BR), 0, MAX_KBPS, repairs))
                        .setBufferMs(buffer)
                        .setLicenseLatencyMs(
                                clamp("license_ms", license, 0, MAX_LICENSE_MS, repairs))
                        .setFormatProfile(format(log.format, repairs))
                        .setErrorCode(errorCode)
                        .setPlayerState(sta)
                        .setRepairs(List.copyOf(repairs))
                        .build();
        return new Result(event, null, sid);
    }

    /** e=ps: which playback event a new player state means. */
    private static PlaybackEventType playStateChange(
            String sta, CmcdData data, List<String> repairs) {
        if (sta == null) {
            repairs.add("e: a play-state change without sta: read as OTHER");
            return PlaybackEventType.OTHER;
        }
        return switch (sta) {
            case "s" -> PlaybackEventType.START;
            case "p" ->
                    data.has(CmcdKey.MSD)
                            ? PlaybackEventType.FIRST_FRAME
                            : data.has(CmcdKey.BSD)
                                    ? PlaybackEventType.REBUFFER_END
                                    : PlaybackEventType.OTHER;
            case "r" -> PlaybackEventType.REBUFFER_START;
            case "f" -> {
                Long pt = data.integer(CmcdKey.PT);
                yield pt == null || pt == 0
                        ? PlaybackEventType.START_FAILURE
                        : PlaybackEventType.ERROR;
            }
            case "e", "q" -> PlaybackEventType.END;
            default -> PlaybackEventType.OTHER;
        };
    }

    /** The player's ts if it makes sense, else the log time. */
    private static Long eventTime(LogFields log, CmcdData data, List<String> repairs) {
        Long ts = data.integer(CmcdKey.TS);
        if (ts != null && ts > 0 && ts < 100_000_000_000L) {
            repairs.add("ts: " + ts + " is in seconds, read as milliseconds");
            ts = ts * 1000;
        }
        if (ts != null && (ts < YEAR_2000 || ts >= YEAR_2100)) {
            repairs.add("ts: " + ts + " is not a plausible time: the log time is used");
            ts = null;
        }
        Long logged = log.time == null ? null : parseTime(log.time, repairs);
        return ts != null ? ts : logged;
    }

    static Long parseTime(String text, List<String> repairs) {
        String t = text.strip();
        if (t.matches("\\d{9,13}(\\.\\d+)?")) {
            BigDecimal n = new BigDecimal(t);
            // epoch milliseconds have 12-13 digits now, seconds 9-10 (with an optional fraction)
            return t.indexOf('.') < 0 && t.length() >= 12
                    ? n.longValue()
                    : n.movePointRight(3).longValue();
        }
        try {
            return Instant.parse(t).toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the other shapes
        }
        try {
            return OffsetDateTime.parse(t).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // try the other shapes
        }
        try {
            long ms =
                    LocalDateTime.parse(t.replace(' ', 'T'))
                            .toInstant(ZoneOffset.UTC)
                            .toEpochMilli();
            repairs.add("time: '" + t + "' has no zone: read as UTC");
            return ms;
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String territory(String value, List<String> repairs) {
        if (value == null) {
            return null;
        }
        String t = value.strip();
        String upper = t.toUpperCase(Locale.ROOT);
        if (upper.equals("UK")) {
            repairs.add("territory: 'UK' read as GB (ISO 3166-1)");
            return "GB";
        }
        if (!Territories.isCountry(upper)) {
            return null;
        }
        if (!upper.equals(t)) {
            repairs.add("territory: '" + t + "' read as " + upper);
        }
        return upper;
    }

    private static DeviceClass device(String value, List<String> repairs) {
        if (value == null) {
            repairs.add("device: missing, read as OTHER");
            return DeviceClass.OTHER;
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        for (DeviceClass c : DeviceClass.values()) {
            if (c.name().equals(upper)) {
                if (!c.name().equals(value)) {
                    repairs.add("device: '" + value + "' read as " + c);
                }
                return c;
            }
        }
        DeviceClass synonym = DEVICE_SYNONYMS.get(upper.replace(' ', '_'));
        if (synonym != null) {
            repairs.add("device: '" + value + "' read as " + synonym);
            return synonym;
        }
        repairs.add(
                "device: '"
                        + CmcdData.abbreviate(value)
                        + "' is not a device class, read as OTHER");
        return DeviceClass.OTHER;
    }

    /**
     * The edge's cache status: HIT/MISS (any case, CDN variants such as TCP_HIT, REFRESH_HIT or
     * "Hit from cloudfront"), or an RFC 9211 Cache-Status entry ({@code edge; hit}, {@code edge;
     * fwd=miss}). Anything else is left empty, with a repair.
     */
    static Boolean cacheHit(String value, List<String> repairs) {
        if (value == null) {
            return null;
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (upper.contains("FWD=") || upper.contains("MISS")) {
            return false;
        }
        if (upper.contains("HIT")) {
            return true;
        }
        repairs.add(
                "cache: '"
                        + CmcdData.abbreviate(value)
                        + "' is neither a hit nor a miss: left empty");
        return null;
    }

    private static String format(String value, List<String> repairs) {
        if (value == null) {
            return null;
        }
        String upper = value.strip().toUpperCase(Locale.ROOT);
        if (FORMATS.contains(upper)) {
            if (!upper.equals(value)) {
                repairs.add("format: '" + value + "' read as " + upper);
            }
            return upper;
        }
        String synonym = FORMAT_SYNONYMS.get(upper);
        if (synonym != null) {
            repairs.add("format: '" + value + "' read as " + synonym);
            return synonym;
        }
        repairs.add(
                "format: '"
                        + CmcdData.abbreviate(value)
                        + "' is not SD, HD, UHD or HDR: left empty");
        return null;
    }

    private static Long number(String name, String value, List<String> repairs) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            try {
                long rounded = Math.round(Double.parseDouble(value.strip()));
                repairs.add(name + ": '" + value + "' read as " + rounded);
                return rounded;
            } catch (NumberFormatException e2) {
                repairs.add(
                        name
                                + ": '"
                                + CmcdData.abbreviate(value)
                                + "' is not a number: left empty");
                return null;
            }
        }
    }

    private static Integer clamp(String key, Long value, long min, long max, List<String> repairs) {
        if (value == null) {
            return null;
        }
        if (value < min) {
            repairs.add(key + ": " + value + " is below " + min + ": clamped");
            return (int) min;
        }
        if (value > max) {
            repairs.add(key + ": " + value + " is above " + max + ": clamped");
            return (int) max;
        }
        return value.intValue();
    }
}
