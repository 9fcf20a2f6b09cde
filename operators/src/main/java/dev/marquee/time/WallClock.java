package dev.marquee.time;

/** The real wall clock: {@link System#currentTimeMillis()}. Stateless; any copy is as good. */
public final class WallClock implements Clock {
    private static final long serialVersionUID = 1L;

    /** The one instance; deserialization resolves to it. */
    public static final WallClock INSTANCE = new WallClock();

    private WallClock() {}

    @Override
    public long now() {
        return System.currentTimeMillis();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "WallClock";
    }
}
