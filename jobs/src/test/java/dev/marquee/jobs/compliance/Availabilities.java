package dev.marquee.jobs.compliance;

import dev.marquee.schema.Availability;
import dev.marquee.schema.DeviceClass;
import dev.marquee.schema.PlaybackEvent;
import dev.marquee.schema.PlaybackEventType;
import java.time.Instant;
import java.util.List;

/** Hand-built availability versions and playback starts for the compliance tests. */
final class Availabilities {
    private Availabilities() {}

    static final String KEY = "c-zelda|JP";

    static Availability version(
            Instant from, boolean available, Instant until, String rightId, List<String> formats) {
        return Availability.newBuilder()
                .setContentId("c-zelda")
                .setTerritory("JP")
                .setAvailable(available)
                .setEffectiveFrom(from)
                .setUntil(until)
                .setRightId(rightId)
                .setFormatProfiles(formats)
                .build();
    }

    static PlaybackEvent start(String session, Instant at, String format) {
        return PlaybackEvent.newBuilder()
                .setSessionId(session)
                .setEventType(PlaybackEventType.START)
                .setAt(at)
                .setContentId("c-zelda")
                .setTerritory("JP")
                .setDeviceClass(DeviceClass.TV)
                .setFormatProfile(format)
                .build();
    }
}
