package dev.marquee.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.greenbytes.http.sfv.BooleanItem;
import org.greenbytes.http.sfv.DecimalItem;
import org.greenbytes.http.sfv.Dictionary;
import org.greenbytes.http.sfv.InnerList;
import org.greenbytes.http.sfv.IntegerItem;
import org.greenbytes.http.sfv.Item;
import org.greenbytes.http.sfv.ListElement;
import org.greenbytes.http.sfv.Parser;
import org.greenbytes.http.sfv.StringItem;
import org.greenbytes.http.sfv.TokenItem;

/**
 * The CMCD keys of one request, gathered from any of the three forms, and read back as the types
 * the specification gives them. Whatever had to be bent to be read (a quoted number, an upper-case
 * key or token, a value that is not a Structured Field at all) is written to {@code repairs}, one
 * sentence per repair naming the key.
 *
 * <p>Structured Field dictionaries are parsed by the greenbytes RFC 8941 parser; only when it
 * rejects a dictionary does a lenient reader split it into members and read each on its own.
 */
final class CmcdData {
    /** A Structured Field token (as opposed to a string). */
    record Token(String text) {}

    /** A value that is no Structured Field item at all, kept as the text the player sent. */
    record Raw(String text) {}

    private final Map<CmcdKey, Object> values = new EnumMap<>(CmcdKey.class);
    private final List<String> repairs;
    private boolean any;

    CmcdData(List<String> repairs) {
        this.repairs = repairs;
    }

    /** Whether any CMCD data (even only unknown keys) was seen. */
    boolean present() {
        return any;
    }

    boolean has(CmcdKey key) {
        return values.containsKey(key);
    }

    /**
     * Adds the members of a Structured Field dictionary (a CMCD= query value or one header).
     *
     * @param header the header it came in, or null for the query form
     * @return null, or why nothing at all could be read from it
     */
    String addDictionary(String text, CmcdKey.Header header) {
        any = true;
        String where = header == null ? "CMCD query argument" : header.fieldName;
        if (text.isBlank()) {
            return null;
        }
        try {
            Dictionary dictionary = Parser.parseDictionary(text);
            for (Map.Entry<String, ListElement<? extends Object>> member :
                    dictionary.get().entrySet()) {
                put(member.getKey(), fromSf(member.getValue()), header);
            }
            return null;
        } catch (IllegalArgumentException strictFailure) { // the parser's ParseException
            return addLeniently(text, header, where);
        }
    }

    private String addLeniently(String text, CmcdKey.Header header, String where) {
        int read = 0;
        for (String member : splitMembers(text)) {
            String m = member.strip();
            if (m.isEmpty()) {
                repairs.add(where + ": empty member (a stray comma) skipped");
                continue;
            }
            int eq = m.indexOf('=');
            String key = (eq < 0 ? m : m.substring(0, eq)).strip();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.matches("[a-z*][a-z0-9_\\-.*]*")) {
                repairs.add(where + ": '" + abbreviate(m) + "' is not a key=value member: skipped");
                continue;
            }
            if (!lower.equals(key)) {
                repairs.add(lower + ": key written as '" + key + "', keys are lower case");
            }
            read++;
            if (eq < 0) {
                put(lower, Boolean.TRUE, header); // a bare key is true
                continue;
            }
            String value = m.substring(eq + 1).strip();
            if (value.isEmpty()) {
                repairs.add(lower + ": empty value skipped");
                continue;
            }
            Object parsed;
            try {
                parsed = fromSf(Parser.parseItemOrInnerList(value));
            } catch (IllegalArgumentException e) {
                if (value.startsWith("\"") && value.length() > 1) {
                    String inside =
                            value.endsWith("\"")
                                    ? value.substring(1, value.length() - 1)
                                    : value.substring(1);
                    parsed = inside.replace("\\\"", "\"").replace("\\\\", "\\");
                    repairs.add(
                            lower + ": malformed string " + abbreviate(value) + " read as text");
                } else {
                    parsed = new Raw(value);
                }
            }
            put(lower, parsed, header);
        }
        if (read == 0) {
            return where + " '" + abbreviate(text) + "' is not a CMCD dictionary";
        }
        return null;
    }

    /** Adds the members of the JSON form (an object of CMCD keys with JSON-typed values). */
    void addJson(JsonNode object) {
        any = true;
        jsonForm = true;
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> member = it.next();
            String key = member.getKey();
            String lower = key.toLowerCase(Locale.ROOT);
            if (!lower.equals(key) && CmcdKey.of(lower) != null) {
                repairs.add(lower + ": key written as '" + key + "', keys are lower case");
            }
            JsonNode v = member.getValue();
            if (v.isNull() || v.isMissingNode()) {
                continue;
            }
            put(lower, fromJson(v), null);
        }
    }

    private void put(String key, Object value, CmcdKey.Header header) {
        CmcdKey k = CmcdKey.of(key);
        if (k == null || value == null) {
            return; // unknown or custom key: receivers ignore them
        }
        if (header != null && k.header != null && k.header != header) {
            repairs.add(
                    key + ": sent in " + header.fieldName + ", belongs in " + k.header.fieldName);
        }
        values.put(k, value);
    }

    private static Object fromSf(Object element) {
        if (element instanceof InnerList list) {
            List<Object> out = new ArrayList<>();
            List<Object> audio = new ArrayList<>();
            for (Item<? extends Object> item : list.get()) {
                // v2 lists tag values with object types as parameters: ";a" marks audio.
                (item.getParams().containsKey("a") ? audio : out).add(fromSf(item));
            }
            out.addAll(audio);
            return out;
        }
        if (element instanceof IntegerItem i) {
            return i.get();
        }
        if (element instanceof DecimalItem d) {
            return d.get().doubleValue();
        }
        if (element instanceof StringItem s) {
            return s.get();
        }
        if (element instanceof TokenItem t) {
            return new Token(t.get());
        }
        if (element instanceof BooleanItem b) {
            return b.get();
        }
        return null; // byte sequences: no CMCD key Marquee reads has them
    }

    private static Object fromJson(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        if (v.isTextual()) {
            return v.asText();
        }
        if (v.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode e : v) {
                Object o = fromJson(e);
                if (o != null) {
                    out.add(o);
                }
            }
            return out;
        }
        return new Raw(v.toString());
    }

    // ---- typed reads -------------------------------------------------------------------

    /** An Integer key; quoted numbers, decimals and v2 inner lists are read with a repair. */
    Long integer(CmcdKey key) {
        Object v = values.get(key);
        if (v instanceof List<?> list) {
            if (list.isEmpty()) {
                repairs.add(key.key + ": empty list skipped");
                return null;
            }
            v = list.get(0);
        }
        if (v == null) {
            return null;
        }
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            long rounded = Math.round(d);
            repairs.add(key.key + ": decimal " + d + " rounded to " + rounded);
            return rounded;
        }
        String text = textOf(v);
        if (text != null) {
            try {
                BigDecimal number = new BigDecimal(text.strip());
                long rounded = number.setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
                repairs.add(
                        key.key
                                + ": "
                                + (v instanceof String ? "quoted number " : "number ")
                                + abbreviate(text)
                                + " read as "
                                + rounded);
                return rounded;
            } catch (NumberFormatException | ArithmeticException e) {
                // fall through
            }
        }
        repairs.add(key.key + ": " + describe(v) + " is not a number: skipped");
        return null;
    }

    /** A String key; tokens, numbers and unquoted text are read as strings with a repair. */
    String string(CmcdKey key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof String s) {
            repairs.add(key.key + ": a list where a string is required: first member read");
            return s;
        }
        String text = textOf(v);
        if (text == null && (v instanceof Long || v instanceof Double)) {
            text = v.toString();
        }
        if (text != null) {
            repairs.add(key.key + ": unquoted value " + abbreviate(text) + " read as a string");
            return text;
        }
        repairs.add(key.key + ": " + describe(v) + " is not a string: skipped");
        return null;
    }

    /** A Token key, lower case; strings and wrong case are read with a repair. */
    String token(CmcdKey key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        String text = null;
        if (v instanceof Token t) {
            text = t.text();
        } else if (v instanceof String s) {
            text = s;
            if (!jsonForm) {
                repairs.add(key.key + ": quoted token \"" + abbreviate(s) + "\" read as a token");
            }
        } else if (v instanceof Raw r) {
            text = r.text();
            repairs.add(key.key + ": '" + abbreviate(text) + "' read as a token");
        }
        if (text == null) {
            repairs.add(key.key + ": " + describe(v) + " is not a token: skipped");
            return null;
        }
        String lower = text.strip().toLowerCase(Locale.ROOT);
        if (!lower.equals(text)) {
            repairs.add(key.key + ": token '" + text + "' read as '" + lower + "'");
        }
        return lower;
    }

    /** A Boolean key; true/false/1/0 in any form are read with a repair. */
    Boolean bool(CmcdKey key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String text = v instanceof Long l ? l.toString() : textOf(v);
        if (text != null) {
            switch (text.strip().toLowerCase(Locale.ROOT)) {
                case "true", "1", "?1", "yes" -> {
                    repairs.add(key.key + ": " + abbreviate(text) + " read as true");
                    return true;
                }
                case "false", "0", "?0", "no" -> {
                    repairs.add(key.key + ": " + abbreviate(text) + " read as false");
                    return false;
                }
                default -> {}
            }
        }
        repairs.add(key.key + ": " + describe(v) + " is not a boolean: skipped");
        return null;
    }

    /** A list of strings (ec); a single string is read as a list of one with a repair. */
    List<String> strings(CmcdKey key) {
        Object v = values.get(key);
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        if (v instanceof List<?> list) {
            for (Object o : list) {
                String s = o instanceof String str ? str : textOf(o);
                if (s == null && o != null) {
                    s = o.toString();
                    repairs.add(key.key + ": list member " + s + " read as a string");
                } else if (!(o instanceof String)) {
                    repairs.add(key.key + ": list member " + abbreviate(s) + " read as a string");
                }
                out.add(s);
            }
            return out;
        }
        String s = v instanceof String str ? str : textOf(v);
        if (s == null) {
            s = v.toString();
        }
        repairs.add(key.key + ": " + abbreviate(s) + " without list notation read as a list");
        out.add(s);
        return out;
    }

    /** Set for the JSON form, where tokens are plain JSON strings. */
    private boolean jsonForm;

    private static String textOf(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Token t) {
            return t.text();
        }
        if (v instanceof Raw r) {
            return r.text();
        }
        return null;
    }

    private static String describe(Object v) {
        if (v instanceof Boolean b) {
            return "boolean " + b;
        }
        if (v instanceof List<?> l) {
            return "list of " + l.size();
        }
        String t = textOf(v);
        return "'" + abbreviate(t == null ? String.valueOf(v) : t) + "'";
    }

    static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Splits dictionary members on commas outside strings and inner lists. */
    static List<String> splitMembers(String text) {
        List<String> members = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                current.append(c);
                if (c == '\\' && i + 1 < text.length()) {
                    current.append(text.charAt(++i));
                } else if (c == '"') {
                    quoted = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    current.append(c);
                }
                case '(' -> {
                    depth++;
                    current.append(c);
                }
                case ')' -> {
                    depth = Math.max(0, depth - 1);
                    current.append(c);
                }
                case ',' -> {
                    if (depth == 0) {
                        members.add(current.toString());
                        current.setLength(0);
                    } else {
                        current.append(c);
                    }
                }
                default -> current.append(c);
            }
        }
        members.add(current.toString());
        return members;
    }
}
