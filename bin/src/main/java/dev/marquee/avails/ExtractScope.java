package dev.marquee.avails;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * What one file says completely: the avails of one ALID from one licensor, sent as {@code Full
 * Extract} (the complete list of that ALID's transactions) or {@code Full Delete} (none remain).
 * Rights of this ALID and licensor already on rights.events that the file does not mention are
 * revoked by {@code avails ingest} (see {@link ImplicitRevocations}).
 *
 * @param alid the ALID the avail names
 * @param licensor the licensor's DisplayName, or null when the avail names none (then any
 *     licensor's rights of this ALID are in scope: ALIDs are issued per licensor)
 * @param fullDelete true when some avail of this scope is a Full Delete
 * @param issuedAt the latest issue time among the scope's avails: revocations are issued then, and
 *     a right issued after it is newer than this statement and is kept
 * @param heldRightIds TransactionIDs of this scope's transactions that did not become rights
 *     (errors, unresolved conditions): they are not known to be gone, so they are not revoked
 * @param blockedBy where a transaction of this scope failed without a TransactionID: its right
 *     cannot be told apart from the missing ones, so nothing of this scope is revoked implicitly
 */
public record ExtractScope(
        String alid,
        String licensor,
        boolean fullDelete,
        Instant issuedAt,
        Set<String> heldRightIds,
        List<String> blockedBy) {

    /** The entry type named in messages and in the revocations' source. */
    public String entryType() {
        return fullDelete ? "Full Delete" : "Full Extract";
    }

    /** Whether a right of this ALID from this licensor (null: not named) is in this scope. */
    boolean covers(String rightAlid, String rightLicensor) {
        return alid.equals(rightAlid)
                && (licensor == null || rightLicensor == null || licensor.equals(rightLicensor));
    }
}
