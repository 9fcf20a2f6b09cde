package dev.marquee.jobs.slo;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information for {@link SliAccumulator}: its own serializer, never Kryo. */
public final class SliAccumulatorType extends TypeInformation<SliAccumulator> {
    private static final long serialVersionUID = 1L;

    public static final SliAccumulatorType INSTANCE = new SliAccumulatorType();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SliAccumulator> getTypeClass() {
        return SliAccumulator.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SliAccumulator> createSerializer(SerializerConfig config) {
        return SliAccumulatorSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "SliAccumulator";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof SliAccumulatorType;
    }

    @Override
    public int hashCode() {
        return SliAccumulatorType.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof SliAccumulatorType;
    }
}
