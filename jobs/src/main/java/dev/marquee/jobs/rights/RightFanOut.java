package dev.marquee.jobs.rights;

import dev.marquee.rights.Territories;
import dev.marquee.schema.AuditKind;
import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Keyed by rightId: applies the revision rules (higher replaces, equal is a duplicate, lower is
 * stale) and fans each accepted revision out to one copy per country it covers, so the lifecycle
 * can run per (title, country). A revision that drops a country, or a revocation, sends that
 * country a REVOKED copy: otherwise the country's window would stay open on the old revision.
 *
 * <p>State: the highest revision and the countries it covered, per right, kept for {@link
 * #RIGHT_STATE_TTL} after the last change (longer than any licence), so a late lower revision can
 * never resurrect a revoked right.
 */
public class RightFanOut extends KeyedProcessFunction<String, RightEvent, RightEvent> {
    private static final long serialVersionUID = 1L;

    public static final Duration RIGHT_STATE_TTL = Duration.ofDays(366 * 15);

    /** Duplicates and stale revisions, for the audit trail: not errors, but not silent either. */
    public static final OutputTag<RightEvent> IGNORED =
            new OutputTag<>(
                    "ignored-revisions",
                    new org.apache.flink.formats.avro.typeutils.AvroTypeInfo<>(RightEvent.class));

    /** Every revision decision (accepted, revised, revoked, duplicate, stale) for rights.audit. */
    public static final OutputTag<AuditEntry> AUDIT =
            new OutputTag<>(
                    "revision-decisions",
                    org.apache.flink.api.common.typeinfo.TypeInformation.of(AuditEntry.class));

    private transient ValueState<Long> revision;
    private transient ValueState<String> countries;

    @Override
    public void open(OpenContext openContext) {
        StateTtlConfig ttl =
                StateTtlConfig.newBuilder(RIGHT_STATE_TTL)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .build();
        ValueStateDescriptor<Long> rev = new ValueStateDescriptor<>("revision", Long.class);
        rev.enableTimeToLive(ttl);
        ValueStateDescriptor<String> where = new ValueStateDescriptor<>("countries", String.class);
        where.enableTimeToLive(ttl);
        revision = getRuntimeContext().getState(rev);
        countries = getRuntimeContext().getState(where);
    }

    @Override
    public void processElement(RightEvent right, Context ctx, Collector<RightEvent> out)
            throws Exception {
        Long current = revision.value();
        long at = ctx.timestamp() == null ? right.getIssuedAt().toEpochMilli() : ctx.timestamp();
        if (current != null && right.getRevision() <= current) {
            ctx.output(IGNORED, right);
            boolean duplicate = right.getRevision() == current;
            ctx.output(
                    AUDIT,
                    new AuditEntry(
                            right.getContentId(),
                            duplicate
                                    ? AuditKind.DUPLICATE_IGNORED
                                    : AuditKind.STALE_REVISION_IGNORED,
                            right.getRightId(),
                            right.getRevision(),
                            null,
                            duplicate
                                    ? "revision " + current + " seen again: idempotent duplicate"
                                    : "revision "
                                            + right.getRevision()
                                            + " arrived after revision "
                                            + current
                                            + ": ignored",
                            at));
            return;
        }
        Set<String> before = split(countries.value());
        Set<String> after = right.getStatus() == RightStatus.REVOKED ? Set.of() : covered(right);
        for (String country : after) {
            out.collect(copyFor(right, country, right.getStatus()));
        }
        for (String country : before) {
            if (!after.contains(country)) {
                out.collect(copyFor(right, country, RightStatus.REVOKED));
            }
        }
        ctx.output(
                AUDIT,
                new AuditEntry(
                        right.getContentId(),
                        right.getStatus() == RightStatus.REVOKED
                                ? AuditKind.RIGHT_REVOKED
                                : current == null
                                        ? AuditKind.RIGHT_ACCEPTED
                                        : AuditKind.RIGHT_REVISED,
                        right.getRightId(),
                        right.getRevision(),
                        null,
                        (right.getStatus() == RightStatus.REVOKED
                                        ? "revoked"
                                        : "grants in " + describe(after))
                                + (before.isEmpty() ? "" : "; before: " + describe(before)),
                        at));
        revision.update(right.getRevision());
        countries.update(after.isEmpty() ? "" : String.join(",", after));
    }

    /** The countries a right grants in: its territories expanded, minus its exclusions. */
    public static Set<String> covered(RightEvent right) {
        Set<String> result = new TreeSet<>();
        for (String code : right.getTerritory()) {
            result.addAll(Territories.expand(code));
        }
        for (String code : right.getExcludedTerritory()) {
            result.removeAll(Territories.expand(code));
        }
        return result;
    }

    private static RightEvent copyFor(RightEvent right, String country, RightStatus status) {
        RightEvent copy = RightEvent.newBuilder(right).build();
        copy.setTerritory(List.of(country));
        copy.setExcludedTerritory(new ArrayList<>());
        copy.setStatus(status);
        return copy;
    }

    /** A country set for the audit trail: listed when short, counted when long. */
    static String describe(Set<String> countries) {
        return countries.size() <= 12
                ? String.join(",", new TreeSet<>(countries))
                : countries.size() + " countries";
    }

    private static Set<String> split(String joined) {
        return joined == null || joined.isEmpty() ? Set.of() : Set.of(joined.split(","));
    }
}
