package dev.marquee.jobs.slo;

import dev.marquee.io.SerializerTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/** Flink type information for {@link SliAccumulator}: its own serializer, never Kryo. */
public final class SliAccumulatorType {
    public static final TypeInformation<SliAccumulator> INSTANCE =
            new SerializerTypeInfo<>(SliAccumulator.class, SliAccumulatorSerializer.INSTANCE);

    private SliAccumulatorType() {}
}
