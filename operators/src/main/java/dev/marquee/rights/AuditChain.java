package dev.marquee.rights;

import dev.marquee.schema.AuditKind;
import dev.marquee.schema.RightsAuditRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The hash chain of rights.audit: each record carries the SHA-256 of the previous record of its key
 * (contentId), and its own hash covers that link plus its canonical fields. Removing, reordering or
 * editing a record breaks every hash after it, which {@link #verify} finds.
 *
 * <p>The canonical form is a fixed field order joined with a separator that cannot appear in the
 * values unescaped, so two different records never hash alike by concatenation accident.
 */
public final class AuditChain {
    private AuditChain() {}

    /** The next record of a chain whose last hash is {@code previousHash} (null for the first). */
    public static RightsAuditRecord append(
            String contentId,
            long sequence,
            AuditKind kind,
            String rightId,
            Long revision,
            String territory,
            String detail,
            Instant at,
            String previousHash) {
        RightsAuditRecord record =
                RightsAuditRecord.newBuilder()
                        .setContentId(contentId)
                        .setSequence(sequence)
                        .setKind(kind)
                        .setRightId(rightId)
                        .setRevision(revision)
                        .setTerritory(territory)
                        .setDetail(detail)
                        .setAt(at)
                        .setPreviousHash(previousHash)
                        .setHash("")
                        .build();
        record.setHash(hash(record));
        return record;
    }

    /** SHA-256 (hex) of the record's canonical form, previous hash included, own hash excluded. */
    public static String hash(RightsAuditRecord r) {
        String canonical =
                String.join(
                        "\u001f",
                        escape(r.getPreviousHash()),
                        escape(r.getContentId()),
                        Long.toString(r.getSequence()),
                        r.getKind().name(),
                        escape(r.getRightId()),
                        r.getRevision() == null ? "\u0000" : Long.toString(r.getRevision()),
                        escape(r.getTerritory()),
                        escape(r.getDetail()),
                        Long.toString(r.getAt().toEpochMilli()));
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(sha.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String escape(String value) {
        return value == null ? "\u0000" : value.replace("\\", "\\\\").replace("\u001f", "\\u001f");
    }

    /** Where a chain breaks, or that it holds. */
    public record Verdict(boolean intact, int checked, String problem) {
        public static Verdict ok(int checked) {
            return new Verdict(true, checked, null);
        }
    }

    /**
     * Checks one key's records in log order: sequences run 1, 2, 3..., each record's previousHash
     * is the hash of the one before, and each hash matches its content.
     */
    public static Verdict verify(List<RightsAuditRecord> chain) {
        String previous = null;
        for (int i = 0; i < chain.size(); i++) {
            RightsAuditRecord r = chain.get(i);
            String where = r.getContentId() + " #" + r.getSequence();
            if (r.getSequence() != i + 1) {
                return new Verdict(
                        false,
                        i,
                        where
                                + ": expected sequence "
                                + (i + 1)
                                + " (a record is missing or out of order)");
            }
            if (!java.util.Objects.equals(r.getPreviousHash(), previous)) {
                return new Verdict(
                        false, i, where + ": previousHash does not match the hash of record #" + i);
            }
            if (!hash(r).equals(r.getHash())) {
                return new Verdict(false, i, where + ": hash does not match its content (edited?)");
            }
            previous = r.getHash();
        }
        return Verdict.ok(chain.size());
    }
}
