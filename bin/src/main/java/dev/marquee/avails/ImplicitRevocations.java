package dev.marquee.avails;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The revocations a file implies without listing them: a {@code Full Extract} is the licensor's
 * complete statement of an ALID's avails, so a right of that ALID published before and absent from
 * the file is gone; a {@code Full Delete} ends every right of its ALID. A pure function of the
 * current rights (the rights.events log) and the parsed file, so it is tested without a broker.
 *
 * <p>Only rights that came from avails take part (their {@code source} names the ALID and
 * licensor); rights written by other means are never revoked by an avails file. A right is kept
 * when it is already revoked, when the file mentions its rightId (as a right, or as a transaction
 * that failed or waits on a condition), or when it was issued after the file's statement (an old
 * Full Extract ingested late must not undo newer avails).
 */
public final class ImplicitRevocations {
    private ImplicitRevocations() {}

    /**
     * What to publish besides the file's rights.
     *
     * @param revocations REVOKED revisions of current rights, in rights.events order
     * @param missingFromExtract how many were revoked because a Full Extract left them out
     * @param byFullDelete how many were revoked by a Full Delete of their ALID
     * @param notes rights kept although in scope, and scopes not applied, one sentence each
     */
    public record Plan(
            List<RightEvent> revocations,
            int missingFromExtract,
            int byFullDelete,
            List<String> notes) {}

    /**
     * @param log rights.events as read (any order of revisions; the highest per rightId counts)
     * @param file the parsed Avails file
     * @param fileName the file's name, for the revocations' source
     */
    public static Plan plan(Collection<RightEvent> log, AvailsResult file, String fileName) {
        List<RightEvent> revocations = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int missing = 0;
        int deleted = 0;
        if (file.scopes().isEmpty()) {
            return new Plan(revocations, 0, 0, notes);
        }
        Map<String, RightEvent> latest = latest(log);
        Set<String> inFile = new HashSet<>();
        for (RightEvent right : file.rights()) {
            inFile.add(right.getRightId());
        }
        Set<String> revoked = new HashSet<>();
        for (ExtractScope scope : file.scopes()) {
            if (!scope.blockedBy().isEmpty()) {
                notes.add(
                        scope.entryType()
                                + " of ALID "
                                + scope.alid()
                                + ": no implicit revocations, because "
                                + String.join(", ", scope.blockedBy())
                                + " failed without a TransactionID (its right cannot be told"
                                + " apart from the missing ones); fix it and ingest again");
                continue;
            }
            for (RightEvent current : latest.values()) {
                String source = current.getSource();
                if (current.getStatus() != RightStatus.ACTIVE
                        || !AvailsSource.isAvails(source)
                        || !scope.covers(AvailsSource.alid(source), AvailsSource.licensor(source))
                        || inFile.contains(current.getRightId())
                        || scope.heldRightIds().contains(current.getRightId())
                        || revoked.contains(current.getRightId())) {
                    continue;
                }
                if (current.getIssuedAt().isAfter(scope.issuedAt())) {
                    notes.add(
                            "rightId "
                                    + current.getRightId()
                                    + " of ALID "
                                    + scope.alid()
                                    + " kept: issued "
                                    + current.getIssuedAt()
                                    + ", after this "
                                    + scope.entryType()
                                    + " ("
                                    + scope.issuedAt()
                                    + ")");
                    continue;
                }
                revocations.add(revoke(current, scope, fileName));
                revoked.add(current.getRightId());
                if (scope.fullDelete()) {
                    deleted++;
                } else {
                    missing++;
                }
            }
        }
        return new Plan(revocations, missing, deleted, notes);
    }

    /** The highest revision of each rightId, in first-seen order (equal revisions: the first). */
    static Map<String, RightEvent> latest(Collection<RightEvent> log) {
        Map<String, RightEvent> latest = new LinkedHashMap<>();
        for (RightEvent right : log) {
            latest.merge(
                    right.getRightId(), right, (a, b) -> b.getRevision() > a.getRevision() ? b : a);
        }
        return latest;
    }

    /**
     * The right as it stands, REVOKED, issued when the statement was. Its revision is the
     * statement's issue time in epoch milliseconds (as for every avails revision), or one more than
     * the current one if that is not higher: a stale avail issued before the statement and arriving
     * later then cannot bring the right back.
     */
    static RightEvent revoke(RightEvent current, ExtractScope scope, String fileName) {
        Instant at = scope.issuedAt();
        long revision = Math.max(current.getRevision() + 1, at.toEpochMilli());
        String licensor = AvailsSource.licensor(current.getSource());
        StringBuilder source =
                new StringBuilder("avails ")
                        .append(fileName)
                        .append("; ALID ")
                        .append(scope.alid())
                        .append("; EntryType ")
                        .append(scope.entryType());
        if (licensor != null) {
            source.append("; Licensor ").append(licensor);
        }
        source.append(
                scope.fullDelete()
                        ? "; revoked: Full Delete of its ALID"
                        : "; revoked: missing from the Full Extract");
        return RightEvent.newBuilder(current)
                .setStatus(RightStatus.REVOKED)
                .setRevision(revision)
                .setIssuedAt(at)
                .setSource(source.toString())
                .build();
    }
}
