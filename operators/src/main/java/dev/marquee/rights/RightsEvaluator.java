package dev.marquee.rights;

import dev.marquee.schema.RightEvent;
import dev.marquee.schema.RightException;
import dev.marquee.schema.RightStatus;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one semantic core of rights (CONTRACT.md "Rights semantics", docs/rights-semantics.md): holds
 * rights, applies revisions, and says whether a title is available in a country at an instant, and
 * when that changes. The offline {@code rights eval}/{@code rights test} commands and the Flink
 * rights job use exactly this class.
 *
 * <p>Rights are indexed by contentId; each right resolves its window and exceptions to instants
 * once per country (lazily, then cached), so {@link #evaluate} is a few comparisons per right of
 * the title and allocates nothing. Serializable (the per-country cache is transient and rebuilt);
 * not thread-safe, like a Flink operator's state.
 */
public final class RightsEvaluator implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Exception types that suspend availability; other types are informational. */
    public static final Set<String> SUSPENDING_EXCEPTIONS =
            Set.of("embargo", "blackout", "festival");

    /** What {@link #accept} did with a right event. */
    public enum Outcome {
        /** A new right or a higher revision: it now decides. */
        APPLIED,
        /** The same revision again: an idempotent duplicate, the first one seen is kept. */
        DUPLICATE,
        /** A lower revision arriving late: ignored (the caller audits it). */
        STALE
    }

    /**
     * Why a title is or is not available. When several rights of the title cover a country and none
     * grants, the reason reported is the first in this order that applies: SUSPENDED, NOT_YET_OPEN,
     * CLOSED, REVOKED, EXCLUDED, NOT_COVERED, NO_RIGHTS (most specific first).
     */
    public enum Reason {
        IN_WINDOW,
        SUSPENDED,
        NOT_YET_OPEN,
        CLOSED,
        REVOKED,
        EXCLUDED,
        NOT_COVERED,
        NO_RIGHTS;

        /** The reason as written in JSON output: lower case with hyphens (not-yet-open). */
        public String code() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * The answer for one (title, country, instant): whether it is available, the deciding right
     * (the right that grants it, or the right behind the reason it does not; null when no right
     * covers the country) and why.
     */
    public record Decision(boolean available, String decidingRightId, Reason reason)
            implements Serializable {}

    /** How availability changes at a transition. */
    public enum TransitionKind {
        /** Became available (a window opened). */
        OPENED,
        /** Became unavailable because every granting window ended (or none covers any more). */
        CLOSED,
        /** Became unavailable because of an embargo, blackout or festival exception. */
        SUSPENDED,
        /** Available again when the exception that suspended it ended. */
        RESUMED
    }

    /** A change of availability at an instant, with the right responsible. */
    public record Transition(Instant at, TransitionKind kind, String rightId)
            implements Serializable {}

    private static final Decision NO_RIGHTS = new Decision(false, null, Reason.NO_RIGHTS);
    private static final Decision NOT_COVERED = new Decision(false, null, Reason.NOT_COVERED);
    private static final CompiledRight[] NONE = new CompiledRight[0];

    private final Map<String, CompiledRight> byRightId = new HashMap<>();
    private final Map<String, CompiledRight[]> byContent = new HashMap<>();

    /**
     * Applies one right event with revision semantics: a new right or a higher revision replaces
     * what was there (also when it revokes), an equal revision is a duplicate, a lower one is
     * stale. Duplicates and stale revisions change nothing.
     *
     * @throws IllegalArgumentException when the right is malformed (every problem, one per field)
     */
    public Outcome accept(RightEvent right) {
        List<String> problems = RightValidator.problems(right);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(
                    "right '" + right.getRightId() + "': " + String.join("; ", problems));
        }
        String rightId = right.getRightId();
        CompiledRight existing = byRightId.get(rightId);
        if (existing != null) {
            if (right.getRevision() < existing.revision) {
                return Outcome.STALE;
            }
            if (right.getRevision() == existing.revision) {
                return Outcome.DUPLICATE;
            }
            unindex(existing);
        }
        CompiledRight compiled = new CompiledRight(right);
        byRightId.put(rightId, compiled);
        index(compiled);
        return Outcome.APPLIED;
    }

    /** How many rights (latest revisions, revoked included) are held. */
    public int size() {
        return byRightId.size();
    }

    /** The revision held for a right, or 0 if none. */
    public long revisionOf(String rightId) {
        CompiledRight r = byRightId.get(rightId);
        return r == null ? 0 : r.revision;
    }

    /**
     * Whether the title is available in the country at the instant, and why.
     *
     * @param territory an ISO 3166-1 alpha-2 country code
     * @throws IllegalArgumentException when the territory is not a known country (a region, a typo)
     */
    public Decision evaluate(String contentId, String territory, Instant at) {
        int country = countryIndex(territory);
        CompiledRight[] rights = byContent.getOrDefault(contentId, NONE);
        if (rights.length == 0) {
            return NO_RIGHTS;
        }
        Decision best = NOT_COVERED;
        for (CompiledRight r : rights) {
            Decision d = r.decide(country, at);
            if (d.available()) {
                return d;
            }
            if (d.reason().ordinal() < best.reason().ordinal()) {
                best = d;
            }
        }
        return best;
    }

    /**
     * The instants in {@code (from, to]} where availability of the title in the country changes, in
     * order: availability at {@code from} is {@code evaluate(from)}, and from each transition's
     * instant on it is what the transition says until the next one. The Flink job sets its timers
     * on these.
     *
     * @throws IllegalArgumentException when the territory is not a known country
     */
    public List<Transition> transitions(
            String contentId, String territory, Instant from, Instant to) {
        int country = countryIndex(territory);
        CompiledRight[] rights = byContent.getOrDefault(contentId, NONE);
        TreeSet<Instant> candidates = new TreeSet<>();
        for (CompiledRight r : rights) {
            if (r.grantsIn(country)) {
                r.window(country).boundaries(candidates);
            }
        }
        List<Transition> result = new ArrayList<>();
        Decision current = evaluate(contentId, territory, from);
        for (Instant at : candidates.subSet(from, false, to, true)) {
            Decision next = evaluate(contentId, territory, at);
            if (next.available() != current.available()) {
                TransitionKind kind;
                String rightId;
                if (next.available()) {
                    kind =
                            current.reason() == Reason.SUSPENDED
                                    ? TransitionKind.RESUMED
                                    : TransitionKind.OPENED;
                    rightId = next.decidingRightId();
                } else if (next.reason() == Reason.SUSPENDED) {
                    kind = TransitionKind.SUSPENDED;
                    rightId = next.decidingRightId();
                } else {
                    kind = TransitionKind.CLOSED;
                    rightId = current.decidingRightId();
                }
                result.add(new Transition(at, kind, rightId));
            }
            current = next;
        }
        return result;
    }

    private static int countryIndex(String territory) {
        int index = Territories.countryIndex(territory);
        if (index < 0) {
            if (territory != null && Territories.isKnown(territory)) {
                throw new IllegalArgumentException(
                        "territory '"
                                + territory
                                + "' is a region; availability is asked per country (ISO"
                                + " 3166-1 alpha-2)");
            }
            throw new IllegalArgumentException(Territories.explainUnknown(territory));
        }
        return index;
    }

    private void index(CompiledRight r) {
        CompiledRight[] old = byContent.getOrDefault(r.contentId, NONE);
        CompiledRight[] now = Arrays.copyOf(old, old.length + 1);
        now[old.length] = r;
        Arrays.sort(now, (a, b) -> a.rightId.compareTo(b.rightId));
        byContent.put(r.contentId, now);
    }

    private void unindex(CompiledRight r) {
        CompiledRight[] old = byContent.getOrDefault(r.contentId, NONE);
        CompiledRight[] now = Arrays.stream(old).filter(x -> x != r).toArray(CompiledRight[]::new);
        if (now.length == 0) {
            byContent.remove(r.contentId);
        } else {
            byContent.put(r.contentId, now);
        }
    }

    private static BitSet countries(List<String> codes) {
        BitSet set = new BitSet(Territories.countryCount());
        for (String code : codes) {
            for (String country : Territories.expand(code)) {
                set.set(Territories.countryIndex(country));
            }
        }
        return set;
    }

    /** A right's latest revision, with its territories and times parsed once. */
    private static final class CompiledRight implements Serializable {
        private static final long serialVersionUID = 1L;

        final String rightId;
        final String contentId;
        final long revision;
        final boolean active;
        final BitSet covered;
        final BitSet excluded;
        final RightTime start;
        final RightTime exclusiveEnd;
        final CompiledException[] suspending;
        final Decision[] decisions;
        transient Window[] windows;

        CompiledRight(RightEvent right) {
            rightId = right.getRightId();
            contentId = right.getContentId();
            revision = right.getRevision();
            active = right.getStatus() != RightStatus.REVOKED;
            covered = countries(right.getTerritory());
            excluded = countries(right.getExcludedTerritory());
            start = RightTime.parse(right.getWindowStart());
            exclusiveEnd =
                    right.getWindowEnd() == null
                            ? null
                            : RightTime.parse(right.getWindowEnd()).asExclusiveEnd();
            List<CompiledException> exceptions = new ArrayList<>();
            for (RightException ex : right.getExceptions()) {
                if (SUSPENDING_EXCEPTIONS.contains(ex.getType().trim().toLowerCase(Locale.ROOT))) {
                    exceptions.add(new CompiledException(ex));
                }
            }
            suspending = exceptions.toArray(new CompiledException[0]);
            decisions = new Decision[Reason.values().length];
            for (Reason reason : Reason.values()) {
                decisions[reason.ordinal()] =
                        new Decision(reason == Reason.IN_WINDOW, rightId, reason);
            }
        }

        boolean grantsIn(int country) {
            return active && covered.get(country) && !excluded.get(country);
        }

        Decision decide(int country, Instant at) {
            if (!covered.get(country)) {
                return NOT_COVERED;
            }
            if (excluded.get(country)) {
                return decisions[Reason.EXCLUDED.ordinal()];
            }
            if (!active) {
                return decisions[Reason.REVOKED.ordinal()];
            }
            return decisions[window(country).reasonAt(at).ordinal()];
        }

        Window window(int country) {
            if (windows == null) {
                windows = new Window[Territories.countryCount()];
            }
            Window w = windows[country];
            if (w == null) {
                w = new Window(this, Territories.countryAt(country), country);
                windows[country] = w;
            }
            return w;
        }
    }

    /** A suspending exception: its times and the countries it covers (null = all of the right). */
    private static final class CompiledException implements Serializable {
        private static final long serialVersionUID = 1L;

        final RightTime start;
        final RightTime exclusiveEnd;
        final BitSet covers;

        CompiledException(RightException ex) {
            start = RightTime.parse(ex.getStart());
            exclusiveEnd =
                    ex.getEnd() == null ? null : RightTime.parse(ex.getEnd()).asExclusiveEnd();
            covers = ex.getTerritory().isEmpty() ? null : countries(ex.getTerritory());
        }
    }

    /**
     * A right's window in one country as instants: [start, end) minus the merged suspensions
     * [suspendFrom[i], suspendUntil[i]). Open ends are {@link Instant#MAX}.
     */
    private static final class Window {
        final Instant start;
        final Instant end;
        final Instant[] suspendFrom;
        final Instant[] suspendUntil;

        Window(CompiledRight right, String country, int index) {
            start = TerritoryZones.opening(country, right.start);
            end =
                    right.exclusiveEnd == null
                            ? Instant.MAX
                            : TerritoryZones.closing(country, right.exclusiveEnd);
            List<Instant[]> spans = new ArrayList<>();
            for (CompiledException ex : right.suspending) {
                if (ex.covers == null || ex.covers.get(index)) {
                    Instant from = TerritoryZones.closing(country, ex.start);
                    Instant until =
                            ex.exclusiveEnd == null
                                    ? Instant.MAX
                                    : TerritoryZones.opening(country, ex.exclusiveEnd);
                    if (from.isBefore(until)) {
                        spans.add(new Instant[] {from, until});
                    }
                }
            }
            spans.sort((a, b) -> a[0].compareTo(b[0]));
            List<Instant[]> merged = new ArrayList<>();
            for (Instant[] span : spans) {
                Instant[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && !span[0].isAfter(last[1])) {
                    if (span[1].isAfter(last[1])) {
                        last[1] = span[1];
                    }
                } else {
                    merged.add(span.clone());
                }
            }
            suspendFrom = new Instant[merged.size()];
            suspendUntil = new Instant[merged.size()];
            for (int i = 0; i < merged.size(); i++) {
                suspendFrom[i] = merged.get(i)[0];
                suspendUntil[i] = merged.get(i)[1];
            }
        }

        Reason reasonAt(Instant at) {
            if (at.isBefore(start)) {
                return Reason.NOT_YET_OPEN;
            }
            if (!at.isBefore(end)) {
                return Reason.CLOSED;
            }
            for (int i = 0; i < suspendFrom.length; i++) {
                if (!at.isBefore(suspendFrom[i]) && at.isBefore(suspendUntil[i])) {
                    return Reason.SUSPENDED;
                }
            }
            return Reason.IN_WINDOW;
        }

        void boundaries(java.util.Collection<Instant> into) {
            into.add(start);
            if (!end.equals(Instant.MAX)) {
                into.add(end);
            }
            for (int i = 0; i < suspendFrom.length; i++) {
                into.add(suspendFrom[i]);
                if (!suspendUntil[i].equals(Instant.MAX)) {
                    into.add(suspendUntil[i]);
                }
            }
        }
    }
}
