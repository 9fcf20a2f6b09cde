package dev.marquee.io;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;

/**
 * Reads one enum field of an Avro binary record without decoding the record, to drop records a job
 * does not want before paying for them: the compliance job checks playback starts only, one event
 * in several, and decoding the others in full was most of its work per event.
 *
 * <p>The field is reached by skipping the fields the writer schema puts before it, which is only
 * possible, without decoding, when each of them is a primitive (string, bytes, numbers, boolean,
 * fixed or enum). A writer schema laid out otherwise gets no {@link Plan} and its records are
 * decoded in full and tested after. Writer symbols the reader does not know resolve to the reader
 * enum's default, as Avro's own schema resolution would.
 */
final class EnumPeek {
    private EnumPeek() {}

    /** How to find the field in the records of one writer schema. */
    static final class Plan {
        private final Schema.Type[] skips;
        private final int[] fixedSizes;
        private final boolean[] wantedByWriterIndex;

        private Plan(Schema.Type[] skips, int[] fixedSizes, boolean[] wantedByWriterIndex) {
            this.skips = skips;
            this.fixedSizes = fixedSizes;
            this.wantedByWriterIndex = wantedByWriterIndex;
        }

        /**
         * Whether the record {@code in} is positioned at holds a wanted symbol. Throws on bytes
         * that are not such a record (the caller then decodes it in full, which says why).
         */
        boolean wanted(BinaryDecoder in) throws IOException {
            for (int i = 0; i < skips.length; i++) {
                switch (skips[i]) {
                    case STRING -> in.skipString();
                    case BYTES -> in.skipBytes();
                    case INT, LONG -> in.readLong();
                    case BOOLEAN -> in.readBoolean();
                    case FLOAT -> in.skipFixed(4);
                    case DOUBLE -> in.skipFixed(8);
                    case FIXED -> in.skipFixed(fixedSizes[i]);
                    case ENUM -> in.readEnum();
                    default -> throw new IllegalStateException("not skippable: " + skips[i]);
                }
            }
            int index = in.readEnum();
            if (index < 0 || index >= wantedByWriterIndex.length) {
                throw new IOException("enum index " + index + " out of range");
            }
            return wantedByWriterIndex[index];
        }
    }

    /**
     * The plan for records written with {@code writer} and read with {@code reader}, or null when
     * the field cannot be reached by skipping (or either schema lacks it as an enum).
     *
     * @param wanted symbols of the reader's enum that are wanted
     */
    static Plan plan(Schema writer, Schema reader, String field, Set<String> wanted) {
        Schema.Field readerField = reader.getField(field);
        if (readerField == null || readerField.schema().getType() != Schema.Type.ENUM) {
            return null;
        }
        Schema readerEnum = readerField.schema();
        List<Schema.Type> skips = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        for (Schema.Field f : writer.getFields()) {
            boolean target = f.name().equals(field) || readerField.aliases().contains(f.name());
            Schema.Type type = f.schema().getType();
            if (target) {
                if (type != Schema.Type.ENUM) {
                    return null;
                }
                List<String> symbols = f.schema().getEnumSymbols();
                boolean[] byIndex = new boolean[symbols.size()];
                for (int i = 0; i < byIndex.length; i++) {
                    String symbol = symbols.get(i);
                    String resolved =
                            readerEnum.hasEnumSymbol(symbol) ? symbol : readerEnum.getEnumDefault();
                    byIndex[i] = resolved != null && wanted.contains(resolved);
                }
                int[] fixed = sizes.stream().mapToInt(Integer::intValue).toArray();
                return new Plan(skips.toArray(Schema.Type[]::new), fixed, byIndex);
            }
            switch (type) {
                case STRING, BYTES, INT, LONG, BOOLEAN, FLOAT, DOUBLE, ENUM -> sizes.add(0);
                case FIXED -> sizes.add(f.schema().getFixedSize());
                default -> {
                    return null; // a union, record, array or map before the field
                }
            }
            skips.add(type);
        }
        return null;
    }
}
