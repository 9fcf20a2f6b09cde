package dev.marquee.telemetry;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.greenbytes.http.sfv.BooleanItem;
import org.greenbytes.http.sfv.InnerList;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.StringItem;
import org.greenbytes.http.sfv.TokenItem;

/**
 * Writes a {@link PlaybackEvent} as the CMCD request-log line a CDN would have logged for it, in
 * one of the three forms {@link CmcdParser} reads: the inverse of the parser, so simulated sessions
 * become log files ({@code telemetry simulate --out}) and round-trip tests can check {@code
 * parse(render(e)) == e}.
 *
 * <p>Lossless for events shaped as the simulator makes them (docs/telemetry.md, "Round trip"):
 * player states consistent with the event type, a REBUFFER_END that carries its stall, strings in
 * printable ASCII for the query and header forms, and no repairs.
 *
 * <p>A FIRST_FRAME is a play-state change to playing with {@code msd} (media start delay); this
 * renderer remembers each session's START to fill it in, so it is not thread-safe.
 */
public final class CmcdRenderer {

    /** The three forms of the CMCD specification. */
    public enum Form {
        /** {@code url=...?CMCD=<percent-encoded dictionary>} */
        QUERY,
        /** {@code CMCD-Object=...}, {@code CMCD-Request=...}, ... fields */
        HEADERS,
        /** one JSON object with a {@code cmcd} member */
        JSON;

        /** Whether a form can carry this text (Structured Field strings are printable ASCII). */
        static boolean sfSafe(String s) {
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c < 0x20 || c > 0x7e) {
                    return false;
                }
            }
            return true;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** START time per session, for msd; forgotten at the session's first frame or failure. */
    private final Map<String, Long> started = new HashMap<>();

    /** One log line (no line break) for the event in the given form. */
    public String render(PlaybackEvent event, Form form) {
        Map<CmcdKey, ListElement<? extends Object>> cmcd = cmcdOf(event);
        return switch (form) {
            case QUERY -> tabSeparated(event, cmcd, true);
            case HEADERS -> tabSeparated(event, cmcd, false);
            case JSON -> json(event, cmcd);
        };
    }

    private Map<CmcdKey, ListElement<? extends Object>> cmcdOf(PlaybackEvent e) {
        Map<CmcdKey, ListElement<? extends Object>> m = new EnumMap<>(CmcdKey.class);
        PlaybackEventType type = e.getEventType();
        String state = e.getPlayerState();
        String sid = e.getSessionId();
        long at = e.getAt().toEpochMilli();
        if (type == PlaybackEventType.START) {
            started.put(sid, at);
        }
        switch (type) {
            case START -> playState(m, "s");
            case FIRST_FRAME -> {
                playState(m, "p");
                Long startedAt = started.remove(sid);
                m.put(CmcdKey.MSD, IntegerItem.valueOf(startedAt == null ? 0 : at - startedAt));
            }
            case START_FAILURE -> {
                started.remove(sid);
                playState(m, "f");
            }
            case REBUFFER_START -> playState(m, "r");
            case REBUFFER_END -> {
                playState(m, "p");
                if (e.getBufferMs() != null) {
                    m.put(CmcdKey.BSD, list(IntegerItem.valueOf(e.getBufferMs())));
                }
            }
            case END -> {
                started.remove(sid);
                playState(m, "q".equals(state) ? "q" : "e");
            }
            case ERROR -> event(m, "e", state);
            case BITRATE_SWITCH -> event(m, "bc", state);
            case OTHER -> event(m, "t", state);
            case LICENSE_REQUEST -> {
                m.put(CmcdKey.OT, TokenItem.valueOf("k"));
                putState(m, state);
            }
            case SEGMENT -> {
                m.put(CmcdKey.OT, TokenItem.valueOf("v"));
                putState(m, state);
            }
        }
        m.put(CmcdKey.SID, StringItem.valueOf(sid));
        m.put(CmcdKey.CID, StringItem.valueOf(e.getContentId()));
        m.put(CmcdKey.V, IntegerItem.valueOf(2));
        m.put(CmcdKey.TS, IntegerItem.valueOf(at));
        if (e.getBitrateKbps() != null) {
            m.put(CmcdKey.BR, list(IntegerItem.valueOf(e.getBitrateKbps())));
        }
        if (e.getBufferMs() != null && type != PlaybackEventType.REBUFFER_END) {
            m.put(CmcdKey.BL, list(IntegerItem.valueOf(e.getBufferMs())));
        }
        if (e.getErrorCode() != null) {
            List<Item<? extends Object>> codes = new ArrayList<>();
            for (String code : e.getErrorCode().split(",", -1)) {
                codes.add(StringItem.valueOf(code));
            }
            m.put(CmcdKey.EC, InnerList.valueOf(codes));
        }
        return m;
    }

    private static void playState(Map<CmcdKey, ListElement<? extends Object>> m, String sta) {
        m.put(CmcdKey.E, TokenItem.valueOf("ps"));
        m.put(CmcdKey.STA, TokenItem.valueOf(sta));
    }

    private static void event(
            Map<CmcdKey, ListElement<? extends Object>> m, String e, String state) {
        m.put(CmcdKey.E, TokenItem.valueOf(e));
        putState(m, state);
    }

    private static void putState(Map<CmcdKey, ListElement<? extends Object>> m, String state) {
        if (state != null) {
            m.put(CmcdKey.STA, TokenItem.valueOf(state));
        }
    }

    private static InnerList list(Item<? extends Object> item) {
        return InnerList.valueOf(List.of(item));
    }

    private static String url(PlaybackEvent e) {
        String host =
                (e.getPop() == null ? "edge" : e.getPop())
                        + "."
                        + (e.getCdn() == null ? "cdn" : e.getCdn())
                        + ".example";
        return e.getEventType() == PlaybackEventType.LICENSE_REQUEST
                ? "https://license.example/v1/license"
                : "https://" + host.replaceAll("[^A-Za-z0-9.-]", "-") + "/v/seg.m4s";
    }

    private String tabSeparated(
            PlaybackEvent e, Map<CmcdKey, ListElement<? extends Object>> cmcd, boolean query) {
        StringBuilder line = new StringBuilder(256);
        line.append(e.getAt().toString());
        if (query) {
            String dict = dictionary(cmcd);
            line.append("\turl=")
                    .append(url(e))
                    .append("?CMCD=")
                    .append(URLEncoder.encode(dict, StandardCharsets.UTF_8).replace("+", "%20"));
        } else {
            line.append("\turl=").append(url(e));
            Map<CmcdKey.Header, Map<CmcdKey, ListElement<? extends Object>>> byHeader =
                    new EnumMap<>(CmcdKey.Header.class);
            for (Map.Entry<CmcdKey, ListElement<? extends Object>> entry : cmcd.entrySet()) {
                CmcdKey.Header h =
                        entry.getKey().header == null
                                ? CmcdKey.Header.STATUS
                                : entry.getKey().header;
                byHeader.computeIfAbsent(h, k -> new EnumMap<>(CmcdKey.class))
                        .put(entry.getKey(), entry.getValue());
            }
            for (Map.Entry<CmcdKey.Header, Map<CmcdKey, ListElement<? extends Object>>> h :
                    byHeader.entrySet()) {
                line.append('\t')
                        .append(h.getKey().fieldName)
                        .append('=')
                        .append(dictionary(h.getValue()));
            }
        }
        for (Map.Entry<String, String> field : logFields(e).entrySet()) {
            line.append('\t').append(field.getKey()).append('=').append(field.getValue());
        }
        return line.toString();
    }

    /**
     * A dictionary as CMCD writes it: members in alphabetical key order (as CTA-5004 asks, so
     * players do not leak a fingerprint through ordering) and no space after the commas.
     */
    private static String dictionary(Map<CmcdKey, ListElement<? extends Object>> cmcd) {
        TreeMap<String, ListElement<? extends Object>> sorted = new TreeMap<>();
        for (Map.Entry<CmcdKey, ListElement<? extends Object>> entry : cmcd.entrySet()) {
            sorted.put(entry.getKey().key, entry.getValue());
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, ListElement<? extends Object>> member : sorted.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(member.getKey());
            ListElement<? extends Object> value = member.getValue();
            if (!(value instanceof BooleanItem b && b.get() && b.getParams().isEmpty())) {
                StringBuilder item = new StringBuilder();
                value.serializeTo(item);
                out.append('=').append(item);
            }
        }
        return out.toString();
    }

    private static Map<String, String> logFields(PlaybackEvent e) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("territory", e.getTerritory());
        f.put("device", e.getDeviceClass().name());
        if (e.getCdn() != null) {
            f.put("cdn", e.getCdn());
        }
        if (e.getPop() != null) {
            f.put("pop", e.getPop());
        }
        if (e.getCacheHit() != null) {
            f.put("cache", e.getCacheHit() ? "HIT" : "MISS");
        }
        if (e.getFormatProfile() != null) {
            f.put("format", e.getFormatProfile());
        }
        if (e.getLicenseLatencyMs() != null) {
            f.put("license_ms", e.getLicenseLatencyMs().toString());
        }
        return f;
    }

    private static String json(PlaybackEvent e, Map<CmcdKey, ListElement<? extends Object>> cmcd) {
        ObjectNode line = JSON.createObjectNode();
        line.put("time", e.getAt().toString());
        line.put("url", url(e));
        for (Map.Entry<String, String> field : logFields(e).entrySet()) {
            if (field.getKey().equals("license_ms")) {
                line.put("license_ms", e.getLicenseLatencyMs());
            } else {
                line.put(field.getKey(), field.getValue());
            }
        }
        ObjectNode c = line.putObject("cmcd");
        for (Map.Entry<CmcdKey, ListElement<? extends Object>> entry : cmcd.entrySet()) {
            String key = entry.getKey().key;
            Object value = entry.getValue().get();
            if (value instanceof List<?> items) {
                ArrayNode array = c.putArray(key);
                for (Object item : items) {
                    Object v = ((Item<?>) item).get();
                    if (v instanceof Long l) {
                        array.add(l);
                    } else {
                        array.add(String.valueOf(v));
                    }
                }
            } else if (value instanceof Long l) {
                c.put(key, l);
            } else if (value instanceof Boolean b) {
                c.put(key, b);
            } else {
                c.put(key, String.valueOf(value));
            }
        }
        return line.toString();
    }
}
