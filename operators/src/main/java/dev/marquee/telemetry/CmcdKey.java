package dev.marquee.telemetry;

import java.util.HashMap;
import java.util.Map;

/**
 * The CMCD keys Marquee reads (CTA-5004 and the CTA-5004-A/B "v2" additions), with the value type
 * the specification gives each and the header that should carry it. Keys not listed here, custom
 * keys (with a hyphen) included, are ignored as the specification requires of receivers.
 */
enum CmcdKey {
    // CMCD-Object
    BR("br", Type.INTEGER, Header.OBJECT),
    D("d", Type.INTEGER, Header.OBJECT),
    OT("ot", Type.TOKEN, Header.OBJECT),
    TB("tb", Type.INTEGER, Header.OBJECT),
    // CMCD-Request
    BL("bl", Type.INTEGER, Header.REQUEST),
    DL("dl", Type.INTEGER, Header.REQUEST),
    MTP("mtp", Type.INTEGER, Header.REQUEST),
    NOR("nor", Type.STRING, Header.REQUEST),
    NRR("nrr", Type.STRING, Header.REQUEST),
    SU("su", Type.BOOLEAN, Header.REQUEST),
    STA("sta", Type.TOKEN, Header.REQUEST),
    SN("sn", Type.INTEGER, Header.REQUEST),
    // CMCD-Session
    CID("cid", Type.STRING, Header.SESSION),
    PR("pr", Type.DECIMAL, Header.SESSION),
    SF("sf", Type.TOKEN, Header.SESSION),
    SID("sid", Type.STRING, Header.SESSION),
    ST("st", Type.TOKEN, Header.SESSION),
    V("v", Type.INTEGER, Header.SESSION),
    MSD("msd", Type.INTEGER, Header.SESSION),
    // CMCD-Status
    BS("bs", Type.BOOLEAN, Header.STATUS),
    RTP("rtp", Type.INTEGER, Header.STATUS),
    BG("bg", Type.BOOLEAN, Header.STATUS),
    BSD("bsd", Type.INTEGER, Header.STATUS),
    CDN("cdn", Type.STRING, Header.STATUS),
    EC("ec", Type.STRING_LIST, Header.STATUS),
    PT("pt", Type.INTEGER, Header.STATUS),
    // Event and response modes (v2): no header of their own.
    E("e", Type.TOKEN, null),
    TS("ts", Type.INTEGER, null),
    TTLB("ttlb", Type.INTEGER, null);

    /** The value types of CTA-5004 (section 3.3), as Marquee reads them. */
    enum Type {
        INTEGER,
        DECIMAL,
        BOOLEAN,
        STRING,
        TOKEN,
        STRING_LIST
    }

    /** The four CMCD headers of the header form. */
    enum Header {
        OBJECT("CMCD-Object"),
        REQUEST("CMCD-Request"),
        SESSION("CMCD-Session"),
        STATUS("CMCD-Status");

        final String fieldName;

        Header(String fieldName) {
            this.fieldName = fieldName;
        }

        static Header byFieldName(String name) {
            for (Header h : values()) {
                if (h.fieldName.equalsIgnoreCase(name)) {
                    return h;
                }
            }
            return null;
        }
    }

    final String key;
    final Type type;
    final Header header;

    CmcdKey(String key, Type type, Header header) {
        this.key = key;
        this.type = type;
        this.header = header;
    }

    private static final Map<String, CmcdKey> BY_KEY = new HashMap<>();

    static {
        for (CmcdKey k : values()) {
            BY_KEY.put(k.key, k);
        }
    }

    /** The key named {@code key} (lower case), or null for unknown and custom keys. */
    static CmcdKey of(String key) {
        return BY_KEY.get(key);
    }
}
