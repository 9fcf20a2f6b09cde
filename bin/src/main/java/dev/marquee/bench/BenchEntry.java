package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of {@code marquee bench}: a job (or a core) measured on the bench's embedded broker and
 * registry, beside a raw Kafka read-and-decode baseline of the same records taken in the same run
 * ({@link BenchContext#baseline}), so the ratio means something on any machine.
 *
 * <p>A new job joins the bench by adding one class to {@link BenchCommand#ENTRIES}.
 */
public interface BenchEntry {

    /** The name users pass to {@code bench --only}, e.g. "rights-lifecycle". */
    String name();

    /**
     * Loads its input, measures, prints progress and human-readable figures to {@link
     * BenchContext#log()}, and returns the figures as one JSON object (at least "job").
     */
    ObjectNode run(BenchContext context) throws Exception;
}
