package dev.marquee.io;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Binds {@link KafkaRecord} to {@link KafkaRecordSerializer} through the class's {@code @TypeInfo}
 * annotation, so every {@code TypeInformation.of(KafkaRecord.class)} gets it.
 */
public final class KafkaRecordTypeInfo extends TypeInfoFactory<KafkaRecord> {
    public static final TypeInformation<KafkaRecord> INSTANCE =
            new SerializerTypeInfo<>(KafkaRecord.class, KafkaRecordSerializer.INSTANCE);

    @Override
    public TypeInformation<KafkaRecord> createTypeInfo(
            Type t, Map<String, TypeInformation<?>> genericParameters) {
        return INSTANCE;
    }
}
