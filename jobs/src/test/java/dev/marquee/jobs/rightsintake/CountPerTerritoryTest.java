package dev.marquee.jobs.rightsintake;

import static dev.marquee.jobs.rightsintake.RightsFixtures.NINE_AM;
import static dev.marquee.jobs.rightsintake.RightsFixtures.NINE_THIRTY;
import static dev.marquee.jobs.rightsintake.RightsFixtures.TEN_AM;
import static dev.marquee.jobs.rightsintake.RightsFixtures.TEN_FIFTEEN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.jobs.common.Loopback;
import dev.marquee.schema.TerritoryRightsCount;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * The per-territory window count, through the real window operator the topology builds: counts are
 * right, and once a window fires its state and timer are gone (state does not pile up per territory
 * and hour).
 */
class CountPerTerritoryTest {

    @Test
    void countsActiveAndRevokedPerTerritoryAndCleansUpAfterTheWindowFires() throws Exception {
        try (var harness = harness()) {
            harness.processElement(new TerritoryEvent("JP", "r-1", false), NINE_AM.toEpochMilli());
            harness.processElement(
                    new TerritoryEvent("JP", "r-2", false), NINE_THIRTY.toEpochMilli());
            harness.processElement(
                    new TerritoryEvent("JP", "r-3", true), NINE_THIRTY.toEpochMilli());
            harness.processElement(new TerritoryEvent("US", "r-1", false), NINE_AM.toEpochMilli());
            harness.processElement(
                    new TerritoryEvent("US", "r-4", false), TEN_FIFTEEN.toEpochMilli());

            assertThat(harness.numEventTimeTimers())
                    .as("one timer per key and open window")
                    .isEqualTo(3);
            assertThat(harness.numKeyedStateEntries()).isPositive();

            harness.processWatermark(new Watermark(TEN_AM.toEpochMilli() - 1));
            List<TerritoryRightsCount> fired = harness.extractOutputValues();
            assertThat(fired).hasSize(2);
            TerritoryRightsCount jp = find(fired, "JP");
            assertThat(jp.getActive()).isEqualTo(2);
            assertThat(jp.getRevoked()).isEqualTo(1);
            assertThat(jp.getTotal()).isEqualTo(3);
            assertThat(jp.getWindowStart()).isEqualTo(NINE_AM);
            assertThat(jp.getWindowEnd()).isEqualTo(TEN_AM);
            assertThat(find(fired, "US").getTotal()).isEqualTo(1);

            assertThat(harness.numEventTimeTimers())
                    .as("only US 10:00-11:00 is still open")
                    .isEqualTo(1);

            harness.processWatermark(
                    new Watermark(Instant.parse("2026-11-25T11:00:00Z").toEpochMilli()));
            assertThat(harness.numEventTimeTimers()).isZero();
            assertThat(harness.numKeyedStateEntries())
                    .as("window state cleared after firing")
                    .isZero();
        }
    }

    private static TerritoryRightsCount find(List<TerritoryRightsCount> counts, String territory) {
        return counts.stream()
                .filter(c -> c.getTerritory().equals(territory))
                .findFirst()
                .orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static KeyedOneInputStreamOperatorTestHarness<
                    String, TerritoryEvent, TerritoryRightsCount>
            harness() throws Exception {
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.getExecutionEnvironment(Loopback.configuration());
        DataStream<TerritoryEvent> events =
                env.fromData(new TerritoryEvent("ZZ", "r-0", false)).returns(TerritoryEvent.class);
        DataStream<TerritoryRightsCount> counts =
                events.keyBy(e -> e.territory)
                        .window(TumblingEventTimeWindows.of(Duration.ofHours(1)))
                        .aggregate(
                                new CountPerTerritory.Tally(),
                                new CountPerTerritory.Emit(),
                                TypeInformation.of(TerritoryTally.class),
                                TypeInformation.of(TerritoryTally.class),
                                new AvroTypeInfo<>(TerritoryRightsCount.class));
        var transformation =
                (OneInputTransformation<TerritoryEvent, TerritoryRightsCount>)
                        counts.getTransformation();
        KeyedOneInputStreamOperatorTestHarness<String, TerritoryEvent, TerritoryRightsCount>
                harness =
                        new KeyedOneInputStreamOperatorTestHarness<>(
                                transformation.getOperatorFactory(),
                                (TerritoryEvent e) -> e.territory,
                                Types.STRING);
        harness.open();
        return harness;
    }
}
