package dev.marquee.io;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink type information for {@link KafkaRecord} ({@link KafkaRecordSerializer}), bound to the
 * class by its {@code @TypeInfo} annotation so every {@code TypeInformation.of(KafkaRecord.class)}
 * gets it.
 */
public final class KafkaRecordTypeInfo extends TypeInformation<KafkaRecord> {
    private static final long serialVersionUID = 1L;

    public static final KafkaRecordTypeInfo INSTANCE = new KafkaRecordTypeInfo();

    /** What the annotation names. */
    public static final class Factory extends TypeInfoFactory<KafkaRecord> {
        @Override
        public TypeInformation<KafkaRecord> createTypeInfo(
                Type t, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }

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
    public Class<KafkaRecord> getTypeClass() {
        return KafkaRecord.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<KafkaRecord> createSerializer(SerializerConfig config) {
        return KafkaRecordSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "KafkaRecord";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof KafkaRecordTypeInfo;
    }

    @Override
    public int hashCode() {
        return KafkaRecordTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof KafkaRecordTypeInfo;
    }
}
