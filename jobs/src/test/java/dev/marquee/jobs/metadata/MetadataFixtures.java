package dev.marquee.jobs.metadata;

import dev.marquee.metadata.FeedRecords;
import dev.marquee.schema.CanonicalTitle;
import dev.marquee.schema.EditorialOverride;
import dev.marquee.schema.FeedRecord;
import dev.marquee.schema.Identifier;
import dev.marquee.schema.LocalizedTitle;
import dev.marquee.schema.OverrideAction;
import dev.marquee.schema.Provenance;
import dev.marquee.schema.ReviewItem;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Feed records and overrides for the metadata tests, written the way vendors spell them. */
final class MetadataFixtures {
    static final Instant T0 = Instant.parse("2026-11-20T08:00:00Z");
    static final String GHOSTBUSTERS = "10.5240/7EC7-228A-510A-053E-CBB8-J";
    static final String DODGEBALL = "10.5240/6FE7-5382-637F-2E34-7518-O";
    static final String BAD_EIDR = "10.5240/7EC7-228A-510A-053E-CBB8-K";

    /** The content ids titles anchored on those EIDRs get. */
    static final String GHOSTBUSTERS_ID = "eidr:" + GHOSTBUSTERS;

    static final String DODGEBALL_ID = "eidr:" + DODGEBALL;

    private MetadataFixtures() {}

    static Instant at(int minutes) {
        return T0.plusSeconds(60L * minutes);
    }

    /** A normalized record (as the job sees it after its normalize step). */
    static FeedRecord record(
            String vendor,
            String id,
            int minute,
            String title,
            Integer year,
            Integer runtime,
            String... ids) {
        List<Identifier> identifiers = new ArrayList<>();
        for (String raw : ids) {
            identifiers.add(Identifier.newBuilder().setScheme("").setValue(raw).build());
        }
        FeedRecord r =
                FeedRecord.newBuilder()
                        .setVendor(vendor)
                        .setVendorRecordId(id)
                        .setIdentifiers(identifiers)
                        .setTitles(
                                title == null
                                        ? List.of()
                                        : List.of(
                                                LocalizedTitle.newBuilder()
                                                        .setLocale("en-US")
                                                        .setText(title)
                                                        .build()))
                        .setReleaseYear(year)
                        .setRuntimeMinutes(runtime)
                        .setProvenance(
                                Provenance.newBuilder()
                                        .setSourceFeed(vendor)
                                        .setFile(vendor + ".jsonl")
                                        .setIngestedAt(at(minute))
                                        .build())
                        .build();
        FeedRecords.Result result = FeedRecords.normalize(r);
        if (!result.ok()) {
            throw new IllegalArgumentException(result.problems().toString());
        }
        return result.record();
    }

    static FeedRecord withdrawal(String vendor, String id, int minute) {
        return FeedRecord.newBuilder()
                .setVendor(vendor)
                .setVendorRecordId(id)
                .setWithdrawn(true)
                .setProvenance(
                        Provenance.newBuilder()
                                .setSourceFeed(vendor)
                                .setIngestedAt(at(minute))
                                .build())
                .build();
    }

    static EditorialOverride setField(
            String overrideId, String contentId, String field, String value, int minute) {
        return base(overrideId, contentId, OverrideAction.SET_FIELD, minute)
                .setField(field)
                .setValue(value)
                .build();
    }

    static EditorialOverride decide(
            String overrideId, OverrideAction action, String a, String b, int minute) {
        return base(overrideId, a, action, minute).setOtherContentId(b).build();
    }

    static EditorialOverride withdrawOverride(
            String overrideId, String contentId, String withdrawn, int minute) {
        return base(overrideId, contentId, OverrideAction.WITHDRAW, minute)
                .setWithdrawsOverrideId(withdrawn)
                .build();
    }

    private static EditorialOverride.Builder base(
            String overrideId, String contentId, OverrideAction action, int minute) {
        return EditorialOverride.newBuilder()
                .setOverrideId(overrideId)
                .setContentId(contentId)
                .setAction(action)
                .setEditor("editor@studio")
                .setIssuedAt(at(minute));
    }

    /** The catalog a stream of title versions leaves behind: latest per id, retired ones gone. */
    static Map<String, CanonicalTitle> catalog(List<CanonicalTitle> versions) {
        Map<String, CanonicalTitle> out = new TreeMap<>();
        for (CanonicalTitle t : versions) {
            if (IdentityGraph.RETIRED.equals(t.getStatus())) {
                out.remove(t.getContentId());
            } else {
                out.put(t.getContentId(), t);
            }
        }
        return out;
    }

    /** Open review questions a stream of review records leaves behind. */
    static Map<String, ReviewItem> openReviews(List<ReviewItem> items) {
        Map<String, ReviewItem> out = new TreeMap<>();
        for (ReviewItem r : items) {
            if ("OPEN".equals(r.getStatus())) {
                out.put(r.getReviewId(), r);
            } else {
                out.remove(r.getReviewId());
            }
        }
        return out;
    }
}
