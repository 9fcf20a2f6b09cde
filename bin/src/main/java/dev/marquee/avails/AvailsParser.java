package dev.marquee.avails;

import dev.marquee.rights.Territories;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EMA Avails (XML v2.x, and the Excel template v1.7+) to normalized rights. See docs/avails.md for
 * the field mapping and the revision and deletion rules; in short:
 *
 * <ul>
 *   <li>rightId = the TransactionID (XML) / AvailID (Excel); when absent
 *       ALID/licenseType/territories/formats/windowStart.
 *   <li>issuedAt = the Avail's Disposition/IssueDate (or its timestamp attribute), else the file's
 *       issue time (its last-modified time unless the caller fixes it).
 *   <li>revision = issuedAt in epoch milliseconds; a rightId seen again later in the same file gets
 *       one more than its previous revision if its own would not be higher (document order is the
 *       order of issue).
 *   <li>Create, Update, Full Extract give ACTIVE rights; Delete and Full Delete give REVOKED ones.
 * </ul>
 */
public final class AvailsParser {
    private static final Pattern EIDR =
            Pattern.compile(
                    "10\\.5240[/:]+:?([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-Z])(?![0-9A-Z])",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern EIDR_CID =
            Pattern.compile(
                    "^md:cid:eidr-[sx]:([0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-Z])$",
                    Pattern.CASE_INSENSITIVE);
    private static final Set<String> WORLDWIDE = Set.of("ZZ", "WW", "WORLDWIDE", "WORLD");

    private AvailsParser() {}

    /**
     * Parses a file; its issue time (for avails without an IssueDate) is its last-modified time.
     */
    public static AvailsResult parse(Path file) throws NotAvailsException {
        Instant modified;
        try {
            modified = Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            throw new NotAvailsException(
                    "cannot read " + file.getFileName() + ": " + e.getMessage());
        }
        return parse(file, modified);
    }

    /** Parses a file; {@code fileIssuedAt} stands for avails that carry no issue date. */
    public static AvailsResult parse(Path file, Instant fileIssuedAt) throws NotAvailsException {
        String name = file.getFileName().toString();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            return parse(in, name, fileIssuedAt);
        } catch (IOException e) {
            throw new NotAvailsException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Parses XML or an .xlsx workbook, told apart by their first bytes. */
    public static AvailsResult parse(InputStream input, String name, Instant fileIssuedAt)
            throws NotAvailsException, IOException {
        InputStream in = input.markSupported() ? input : new BufferedInputStream(input);
        in.mark(8);
        byte[] head = in.readNBytes(4);
        in.reset();
        List<AvailRow> rows;
        String format;
        if (head.length >= 2 && head[0] == 'P' && head[1] == 'K') {
            format = "xlsx";
            rows = XlsxAvailsReader.read(in, name);
        } else if (head.length == 0) {
            throw new NotAvailsException(name + " is empty");
        } else {
            format = "xml";
            rows = XmlAvailsReader.read(in, name);
        }
        return map(format, rows, name, fileIssuedAt);
    }

    static AvailsResult map(String format, List<AvailRow> rows, String name, Instant fileIssuedAt) {
        List<RightEvent> rights = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Map<String, Long> lastRevision = new HashMap<>();
        Map<String, AvailRow> firstUse = new HashMap<>();
        Map<String, RightEvent> lastRight = new HashMap<>();
        List<AvailRow> unmade = new ArrayList<>();
        for (AvailRow row : rows) {
            Mapped mapped = mapRow(row, name, fileIssuedAt);
            AvailRow earlier =
                    mapped.right == null ? null : firstUse.get(mapped.right.getRightId());
            if (earlier != null
                    && sameTerms(lastRight.get(mapped.right.getRightId()), mapped.right)) {
                notes.add(
                        row.location
                                + ": repeats "
                                + earlier.location
                                + " with the same terms; ignored as a duplicate");
                continue;
            }
            if (earlier != null && (!earlier.alid.equals(row.alid) || !isChange(row))) {
                // Within one file an id may recur only as a later step (Update, Delete, Full
                // Delete) for the same ALID; reused otherwise it would silently replace another
                // right.
                mapped =
                        new Mapped(
                                null,
                                "rightId "
                                        + mapped.right.getRightId()
                                        + " is already used by "
                                        + earlier.location
                                        + "; one id must identify one right",
                                null);
            }
            if (mapped.error != null) {
                errors.add(row.location + ": " + mapped.error);
                unmade.add(row);
            } else if (mapped.note != null) {
                notes.add(row.location + ": " + mapped.note);
                unmade.add(row);
            } else {
                RightEvent right = mapped.right;
                Long previous = lastRevision.get(right.getRightId());
                if (previous != null) {
                    if (right.getRevision() <= previous) {
                        right.setRevision(previous + 1);
                    }
                    notes.add(
                            row.location
                                    + ": rightId "
                                    + right.getRightId()
                                    + " appeared earlier in this file; this transaction supersedes"
                                    + " it (revision "
                                    + right.getRevision()
                                    + ")");
                }
                lastRevision.put(right.getRightId(), right.getRevision());
                firstUse.putIfAbsent(right.getRightId(), row);
                lastRight.put(right.getRightId(), right);
                rights.add(right);
            }
        }
        return new AvailsResult(format, rights, errors, notes, scopes(rows, unmade, fileIssuedAt));
    }

    /**
     * One scope per (ALID, licensor) with a Full Extract or Full Delete avail, in document order. A
     * transaction that did not become a right holds its TransactionID (it is not known to be gone);
     * without one it blocks its scope, or every scope when it has no ALID either.
     */
    static List<ExtractScope> scopes(
            List<AvailRow> rows, List<AvailRow> unmade, Instant fileIssuedAt) {
        record Key(String alid, String licensor) {}
        Map<Key, Boolean> fullDelete = new LinkedHashMap<>();
        Map<Key, Instant> issued = new HashMap<>();
        for (AvailRow row : rows) {
            String type =
                    row.entryType == null ? "" : row.entryType.trim().toLowerCase(Locale.ROOT);
            if (row.alid == null || !(type.equals("full extract") || type.equals("full delete"))) {
                continue;
            }
            Key key = new Key(row.alid, row.licensor);
            fullDelete.merge(key, type.equals("full delete"), Boolean::logicalOr);
            Instant at = fileIssuedAt;
            if (row.issueDate != null) {
                try {
                    at = AvailTimes.issueInstant(row.issueDate);
                } catch (IllegalArgumentException e) {
                    // the row is an error already; the file's issue time stands in
                }
            }
            issued.merge(key, at, (a, b) -> a.isAfter(b) ? a : b);
        }
        List<ExtractScope> scopes = new ArrayList<>();
        for (Map.Entry<Key, Boolean> e : fullDelete.entrySet()) {
            Key key = e.getKey();
            Set<String> held = new LinkedHashSet<>();
            List<String> blockedBy = new ArrayList<>();
            ExtractScope probe =
                    new ExtractScope(
                            key.alid, key.licensor, e.getValue(), null, Set.of(), List.of());
            for (AvailRow row : unmade) {
                if (row.alid != null && !probe.covers(row.alid, row.licensor)) {
                    continue;
                }
                if (row.transactionId != null) {
                    held.add(row.transactionId);
                } else {
                    blockedBy.add(row.location);
                }
            }
            scopes.add(
                    new ExtractScope(
                            key.alid,
                            key.licensor,
                            e.getValue(),
                            issued.get(key),
                            held,
                            blockedBy));
        }
        return scopes;
    }

    /** Exactly one of right, error, note. */
    private record Mapped(RightEvent right, String error, String note) {}

    private static Mapped mapRow(AvailRow row, String fileName, Instant fileIssuedAt) {
        List<String> problems = new ArrayList<>();

        RightStatus status = null;
        if (row.entryType == null) {
            problems.add("Disposition/EntryType: missing");
        } else {
            switch (row.entryType.trim().toLowerCase(Locale.ROOT)) {
                case "create", "update", "full extract" -> status = RightStatus.ACTIVE;
                case "delete", "full delete" -> status = RightStatus.REVOKED;
                default ->
                        problems.add(
                                "Disposition/EntryType: unknown '"
                                        + row.entryType
                                        + "' (expected Create, Update, Delete, Full Extract or"
                                        + " Full Delete)");
            }
        }

        Instant issuedAt = fileIssuedAt;
        if (row.issueDate != null) {
            try {
                issuedAt = AvailTimes.issueInstant(row.issueDate);
            } catch (IllegalArgumentException e) {
                problems.add("Disposition/IssueDate: " + e.getMessage());
            }
        }

        if (row.alid == null) {
            problems.add("ALID: missing");
        }
        String contentId = contentId(row);

        if (row.licenseType == null) {
            problems.add("LicenseType: missing");
        }

        List<String> territories = territories(row.territories, "Territory", problems);
        if (row.territories.isEmpty()) {
            problems.add("Territory: missing");
        }
        List<String> excluded = territories(row.excludedTerritories, "TerritoryExcluded", problems);

        List<String> formats = new ArrayList<>();
        if (row.formatProfile == null) {
            problems.add("FormatProfile: missing");
        } else {
            formats.add(row.formatProfile.trim().toUpperCase(Locale.ROOT));
            if (row.hdr != null && !isFalse(row.hdr)) {
                formats.add("HDR");
            }
        }

        String exclusivity = null;
        if (row.exclusive != null) {
            if (isTrue(row.exclusive)) {
                exclusivity = "exclusive";
            } else if (isFalse(row.exclusive)) {
                exclusivity = "non-exclusive";
            } else {
                problems.add("Term Exclusive: '" + row.exclusive + "' is not true or false");
            }
        }

        String windowDuration = null;
        if (row.windowDuration != null) {
            try {
                windowDuration = AvailTimes.duration(row.windowDuration);
            } catch (IllegalArgumentException e) {
                problems.add("WindowDuration: " + e.getMessage());
            }
        }

        // Start: an instant/date/local date-time, or a condition. Immediate (and Open) start when
        // the avail was issued, plus the lag; any other condition cannot be an instant yet.
        String windowStart = null;
        String pending = null;
        if (row.start != null) {
            windowStart = when(row.start, "Start", problems);
        } else if (row.startCondition != null) {
            String condition = row.startCondition.trim();
            if (condition.equalsIgnoreCase("Immediate") || condition.equalsIgnoreCase("Open")) {
                windowStart = lagged(issuedAt, row.startLag, "StartCondition", problems);
            } else {
                pending = "starts on condition '" + condition + "'" + lagText(row.startLag);
            }
        } else {
            problems.add("Start: missing (neither Start nor StartCondition)");
        }

        // End: a value, Open (open-ended, or start + WindowDuration), Immediate (issue + lag), or a
        // condition that cannot be an instant yet.
        String windowEnd = null;
        if (row.end != null) {
            windowEnd = when(row.end, "End", problems);
        } else if (row.endCondition != null) {
            String condition = row.endCondition.trim();
            if (condition.equalsIgnoreCase("Open")) {
                if (windowDuration != null && windowStart != null) {
                    windowEnd = plus(windowStart, windowDuration, problems);
                }
            } else if (condition.equalsIgnoreCase("Immediate")) {
                windowEnd = lagged(issuedAt, row.endLag, "EndCondition", problems);
            } else if (pending == null) {
                pending = "ends on condition '" + condition + "'" + lagText(row.endLag);
            } else {
                pending += ", ends on condition '" + condition + "'" + lagText(row.endLag);
            }
        } else {
            problems.add("End: missing (neither End nor EndCondition)");
        }

        if (!problems.isEmpty()) {
            return new Mapped(null, String.join("; ", problems), null);
        }
        if (pending != null && status == RightStatus.REVOKED) {
            // Revoking grants nothing, so a condition need not be resolved to delete a right.
            if (windowStart == null) {
                windowStart = issuedAt.toString();
            }
            pending = null;
        }
        if (pending != null) {
            return new Mapped(
                    null,
                    null,
                    "not a right yet: "
                            + pending
                            + ", which is not an instant; ingest it again once the date is known");
        }

        String rightId = row.transactionId;
        if (rightId == null) {
            rightId =
                    row.alid
                            + "/"
                            + row.licenseType.trim()
                            + "/"
                            + String.join("+", territories)
                            + "/"
                            + String.join("+", formats)
                            + "/"
                            + windowStart;
        }

        StringBuilder source = new StringBuilder("avails ").append(fileName);
        source.append("; ALID ").append(row.alid);
        if (row.transactionId != null) {
            source.append("; TransactionID ").append(row.transactionId);
        }
        source.append("; EntryType ").append(row.entryType.trim());
        if (row.licensor != null) {
            source.append("; Licensor ").append(row.licensor);
        }
        if (row.startCondition != null) {
            source.append("; StartCondition ")
                    .append(row.startCondition.trim())
                    .append(lagText(row.startLag));
        }
        if (row.endCondition != null) {
            source.append("; EndCondition ")
                    .append(row.endCondition.trim())
                    .append(lagText(row.endLag));
        }
        if (windowDuration != null) {
            source.append("; WindowDuration ").append(windowDuration);
        }
        if (row.exclusiveAttributes != null) {
            source.append("; ExclusiveAttributes ").append(row.exclusiveAttributes);
        }

        RightEvent right =
                RightEvent.newBuilder()
                        .setRightId(rightId)
                        .setContentId(contentId)
                        .setRevision(issuedAt.toEpochMilli())
                        .setStatus(status)
                        .setTerritory(territories)
                        .setExcludedTerritory(excluded)
                        .setWindowStart(windowStart)
                        .setWindowEnd(windowEnd)
                        .setExclusivity(exclusivity)
                        .setLicenseType(row.licenseType.trim())
                        .setFormatProfiles(formats)
                        .setExceptions(new ArrayList<>())
                        .setIssuedAt(issuedAt)
                        .setSource(source.toString())
                        .build();
        return new Mapped(right, null, null);
    }

    /** eidr:10.5240/XXXX-... from the first candidate that holds an EIDR, else alid:ALID. */
    static String contentId(AvailRow row) {
        for (String candidate : row.contentIdCandidates) {
            Matcher m = EIDR.matcher(candidate);
            if (m.find()) {
                return "eidr:10.5240/" + m.group(1).toUpperCase(Locale.ROOT);
            }
            Matcher cid = EIDR_CID.matcher(candidate.trim());
            if (cid.find()) {
                return "eidr:10.5240/" + cid.group(1).toUpperCase(Locale.ROOT);
            }
        }
        return "alid:" + row.alid;
    }

    private static List<String> territories(List<String> raw, String field, List<String> problems) {
        Set<String> codes = new LinkedHashSet<>();
        for (String value : raw) {
            String text = value.trim();
            if (text.startsWith("region:")) {
                problems.add(
                        field
                                + ": countryRegion '"
                                + text.substring("region:".length())
                                + "' is a subdivision; rights are by country or region code only");
                continue;
            }
            String code = text.toUpperCase(Locale.ROOT);
            if (WORLDWIDE.contains(code)) {
                code = Territories.WORLDWIDE;
            }
            if (!Territories.isKnown(code)) {
                problems.add(field + ": " + Territories.explainUnknown(text));
                continue;
            }
            codes.add(code);
        }
        return new ArrayList<>(codes);
    }

    private static String when(String raw, String field, List<String> problems) {
        try {
            return AvailTimes.normalize(raw);
        } catch (IllegalArgumentException e) {
            problems.add(field + ": " + e.getMessage());
            return null;
        }
    }

    private static String lagged(Instant at, String lag, String field, List<String> problems) {
        if (lag == null) {
            return at.toString();
        }
        try {
            return AvailTimes.plus(at, AvailTimes.duration(lag));
        } catch (IllegalArgumentException e) {
            problems.add(field + " lag: " + e.getMessage());
            return null;
        }
    }

    private static String plus(String when, String duration, List<String> problems) {
        try {
            return AvailTimes.plus(when, duration);
        } catch (RuntimeException e) {
            problems.add("WindowDuration: cannot add " + duration + " to " + when);
            return null;
        }
    }

    private static String lagText(String lag) {
        return lag == null ? "" : " with lag " + lag;
    }

    /** Equal apart from when and where it was issued (revision, issuedAt, source). */
    private static boolean sameTerms(RightEvent a, RightEvent b) {
        if (a == null || b == null) {
            return false;
        }
        RightEvent x = RightEvent.newBuilder(a).setRevision(0).setIssuedAt(Instant.EPOCH).build();
        RightEvent y = RightEvent.newBuilder(b).setRevision(0).setIssuedAt(Instant.EPOCH).build();
        x.setSource(null);
        y.setSource(null);
        return x.equals(y);
    }

    private static boolean isChange(AvailRow row) {
        String type = row.entryType.trim().toLowerCase(Locale.ROOT);
        return type.equals("update") || type.equals("delete") || type.equals("full delete");
    }

    private static boolean isTrue(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("true") || v.equals("1") || v.equals("yes") || v.equals("y");
    }

    private static boolean isFalse(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.equals("false") || v.equals("0") || v.equals("no") || v.equals("n");
    }
}
