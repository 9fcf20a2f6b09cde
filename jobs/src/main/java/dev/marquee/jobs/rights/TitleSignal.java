package dev.marquee.jobs.rights;

/**
 * What the window-open and propagation patterns watch, per title and territory: a window opened
 * (from rights.transitions) or the title's assets became playable there (from encode results, once
 * the encode pipeline feeds it). A Flink POJO, keyed by {@link #key()}.
 */
public class TitleSignal {
    /** The kinds of signal. */
    public enum Kind {
        WINDOW_OPENED,
        ASSETS_READY
    }

    public String contentId;
    public String territory;
    public Kind kind;

    /** Event time, epoch millis. */
    public long at;

    /** The right that opened the window, for WINDOW_OPENED. */
    public String rightId;

    /** The opening right's revision, for WINDOW_OPENED. */
    public Long revision;

    /** Set by {@link ReadinessTracker} on WINDOW_OPENED: assets were playable before it opened. */
    public boolean assetsAlreadyReady;

    public TitleSignal() {}

    public TitleSignal(String contentId, String territory, Kind kind, long at, String rightId) {
        this.contentId = contentId;
        this.territory = territory;
        this.kind = kind;
        this.at = at;
        this.rightId = rightId;
    }

    /**
     * Signals are keyed per title: assets are encoded once per title, and one ASSETS_READY must
     * satisfy every territory whose window is waiting for them.
     */
    public String key() {
        return contentId;
    }

    @Override
    public String toString() {
        return kind + " " + contentId + "|" + territory + " @" + at;
    }
}
