package dev.marquee.time;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/** Fakes shared by the time tests. */
final class TestClocks {
    private TestClocks() {}

    /** A clock (and a source of real time) that only moves when told to. */
    static final class FakeClock implements Clock, LongSupplier, Serializable {
        private static final long serialVersionUID = 1L;
        long millis;

        FakeClock(long millis) {
            this.millis = millis;
        }

        void set(long millis) {
            this.millis = millis;
        }

        void advance(long delta) {
            this.millis += delta;
        }

        @Override
        public long now() {
            return millis;
        }

        @Override
        public long getAsLong() {
            return millis;
        }
    }

    /** Records every watermark and idleness call. */
    static final class RecordingOutput implements WatermarkOutput {
        final List<Long> watermarks = new ArrayList<>();
        int idleCalls;

        @Override
        public void emitWatermark(Watermark watermark) {
            watermarks.add(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            idleCalls++;
        }

        @Override
        public void markActive() {}

        long last() {
            return watermarks.get(watermarks.size() - 1);
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T roundTrip(T value) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
                out.writeObject(value);
            }
            try (ObjectInputStream in =
                    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                return (T) in.readObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
