package dev.marquee.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.marquee.demo.MetadataSample;
import dev.marquee.io.AvroJson;
import dev.marquee.jobs.metadata.TitleResolver;
import dev.marquee.schema.DeadLetter;
import dev.marquee.schema.DeadLetterCategory;
import dev.marquee.schema.EditorialOverride;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The demo's sample feed, read as the ingest reads it and resolved as the job resolves it, without
 * Kafka: the demo's expectations hold for the rules themselves (the IT and the demo then hold the
 * running job to them).
 */
class MetadataSampleTest {

    @Test
    void theSampleResolvesToExactlyTheExpectedCatalog() throws Exception {
        List<FeedFile.Entry> entries = MetadataSample.feed();
        assertThat(entries).hasSize(9);
        List<EditorialOverride> overrides =
                MetadataSample.overrides().stream()
                        .map(
                                l ->
                                        AvroJson.toSpecific(
                                                AvroJson.parse(
                                                        l, EditorialOverride.getClassSchema()),
                                                EditorialOverride.class))
                        .toList();
        TitleResolver.Resolution resolution =
                TitleResolver.resolve(MetadataCommand.goodRecords(entries), overrides);
        List<DeadLetter> refused =
                entries.stream()
                        .filter(e -> !e.ok())
                        .map(
                                e ->
                                        DeadLetter.newBuilder()
                                                .setSourceTopic("metadata.feed.raw")
                                                .setKey(e.key())
                                                .setReason(e.problem())
                                                .setCategory(DeadLetterCategory.INVALID)
                                                .setJob("test")
                                                .setFailedAt(Instant.EPOCH)
                                                .build())
                        .toList();
        assertThat(MetadataSample.mismatches(resolution.titles(), resolution.reviews(), refused))
                .isEmpty();
        assertThat(refused)
                .extracting(DeadLetter::getReason)
                .anySatisfy(r -> assertThat(r).contains("RunLength 'about two hours'"))
                .anySatisfy(r -> assertThat(r).contains("'xx-XX' names no ISO 639 language"));
        assertThat(
                        entries.stream()
                                .filter(FeedFile.Entry::ok)
                                .flatMap(e -> e.record().getFlags().stream()))
                .contains(
                        "mojibake-repaired:fr-FR",
                        "invalid-identifier:eidr:" + MetadataSample.BAD_EIDR);
    }
}
