package dev.marquee.jobs.rights;

import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Remembers, per title, since when its assets are playable, and marks each WINDOW_OPENED with
 * whether they already were at that instant. Titles are normally encoded before their window opens;
 * the propagation pattern must only wait for assets that were not there yet, and CEP cannot look
 * back in time.
 *
 * <p>The flag lives as long as a window can reasonably be pending after encoding (TTL), so state
 * does not grow with every title ever encoded.
 */
public class ReadinessTracker extends KeyedProcessFunction<String, TitleSignal, TitleSignal> {
    private static final long serialVersionUID = 1L;

    /** Assets encoded this long before a window still count as ready at its opening. */
    public static final Duration READINESS_TTL = Duration.ofDays(800);

    /** The earliest event time at which the title's assets were playable. */
    private transient ValueState<Long> readyAt;

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> descriptor =
                new ValueStateDescriptor<>("assets-ready-at", Long.class);
        descriptor.enableTimeToLive(
                StateTtlConfig.newBuilder(READINESS_TTL)
                        .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                        .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                        .build());
        readyAt = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(TitleSignal signal, Context ctx, Collector<TitleSignal> out)
            throws Exception {
        Long since = readyAt.value();
        if (signal.kind == TitleSignal.Kind.ASSETS_READY) {
            if (since == null || signal.at < since) {
                readyAt.update(signal.at);
            }
        } else {
            // Compared in event time, not arrival order: a result stamped after the opening
            // (even if it arrived first) leaves the opening waiting for its assets.
            signal.assetsAlreadyReady = since != null && since <= signal.at;
        }
        out.collect(signal);
    }
}
