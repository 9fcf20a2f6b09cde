package dev.marquee.jobs.rights;

import dev.marquee.rights.AuditChain;
import dev.marquee.schema.RightsAuditRecord;
import java.time.Instant;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by contentId: numbers each {@link AuditEntry} and links it to the title's previous audit
 * record by SHA-256 ({@link AuditChain}), so {@code audit verify} can prove nothing was edited or
 * removed.
 *
 * <p>State: the last hash and sequence per title, and deliberately no TTL: a chain must continue
 * from its last link however long a title stays quiet, and two values per title in the catalog is
 * bounded by the catalog's size. Records reach Kafka through the exactly-once sink, so a restore
 * replays from the checkpointed link and never forks a chain.
 */
public class AuditChainer extends KeyedProcessFunction<String, AuditEntry, RightsAuditRecord> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<String> lastHash;
    private transient ValueState<Long> sequence;

    @Override
    public void open(OpenContext openContext) {
        lastHash =
                getRuntimeContext().getState(new ValueStateDescriptor<>("last-hash", Types.STRING));
        sequence = getRuntimeContext().getState(new ValueStateDescriptor<>("sequence", Types.LONG));
    }

    @Override
    public void processElement(AuditEntry entry, Context ctx, Collector<RightsAuditRecord> out)
            throws Exception {
        Long previous = sequence.value();
        long next = previous == null ? 1 : previous + 1;
        RightsAuditRecord record =
                AuditChain.append(
                        entry.contentId,
                        next,
                        entry.kind,
                        entry.rightId,
                        entry.revision,
                        entry.territory,
                        entry.detail,
                        Instant.ofEpochMilli(entry.at),
                        lastHash.value());
        lastHash.update(record.getHash());
        sequence.update(next);
        out.collect(record);
    }
}
