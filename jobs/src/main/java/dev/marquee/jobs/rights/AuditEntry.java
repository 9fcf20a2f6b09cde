package dev.marquee.jobs.rights;

import dev.marquee.schema.AuditKind;

/**
 * One rights state change on its way into a title's audit chain, before it is numbered and hashed
 * by {@link AuditChainer}. Operators anywhere in the job emit these (a revision accepted or
 * ignored, a transition, a right that arrived late); the chainer orders them per title. A Flink
 * POJO.
 */
public class AuditEntry {
    public String contentId;
    public AuditKind kind;
    public String rightId;

    /** Null when the change is not about one revision (e.g. a transition from several rights). */
    public Long revision;

    /** Null when the change covers the whole right rather than one country. */
    public String territory;

    public String detail;

    /** Event time of the change, epoch millis. */
    public long at;

    public AuditEntry() {}

    public AuditEntry(
            String contentId,
            AuditKind kind,
            String rightId,
            Long revision,
            String territory,
            String detail,
            long at) {
        this.contentId = contentId;
        this.kind = kind;
        this.rightId = rightId;
        this.revision = revision;
        this.territory = territory;
        this.detail = detail;
        this.at = at;
    }

    @Override
    public String toString() {
        return kind + " " + contentId + " " + rightId + " " + territory + ": " + detail;
    }
}
