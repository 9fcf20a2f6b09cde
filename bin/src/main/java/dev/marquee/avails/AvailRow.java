package dev.marquee.avails;

import java.util.ArrayList;
import java.util.List;

/**
 * One EMA Avails transaction as read from either form (XML Avail/Transaction or one row of the
 * Excel template), before any interpretation: texts as written, so the mapping to a right and its
 * error messages are the same for both forms.
 */
final class AvailRow {
    /** Where it is, for messages: "avail ALID x transaction y" or "sheet S row N". */
    String location;

    String alid;
    String transactionId;
    String entryType;

    /** Disposition/IssueDate or the Avail's timestamp attribute, as written; null when absent. */
    String issueDate;

    String licensor;
    String licenseType;

    /** Territory codes as written; region codes (ISO 3166-2 countryRegion) prefixed "region:". */
    final List<String> territories = new ArrayList<>();

    final List<String> excludedTerritories = new ArrayList<>();

    String start;
    String startCondition;
    String startLag;
    String end;
    String endCondition;
    String endLag;
    String windowDuration;

    String formatProfile;

    /** The FormatProfile HDR attribute (true, HDR10, DV) or the template's HDR column. */
    String hdr;

    /** The Exclusive term (a boolean as written) and ExclusiveAttributes, when present. */
    String exclusive;

    String exclusiveAttributes;

    /** Identifier candidates for contentId, most preferred first (EIDR forms are picked out). */
    final List<String> contentIdCandidates = new ArrayList<>();
}
