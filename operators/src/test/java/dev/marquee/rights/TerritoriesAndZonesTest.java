package dev.marquee.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class TerritoriesAndZonesTest {

    @Test
    void expandsRegions() {
        assertThat(Territories.expand("US")).containsExactly("US");
        assertThat(Territories.expand("ZZ")).hasSize(Territories.countryCount()).contains("AQ");
        assertThat(Territories.expand("EU")).hasSize(27).contains("HR").doesNotContain("GB");
        assertThat(Territories.expand("419")).contains("MX", "BR", "AR", "JM").doesNotContain("US");
        assertThat(Territories.expand("150")).contains("FR", "GB", "RU", "NO").doesNotContain("TR");
        assertThat(Territories.expand("021")).contains("US", "CA").doesNotContain("MX");
        assertThat(Territories.expand("003")).contains("US", "CA", "MX", "JM");
        assertThat(Territories.expand("053"))
                .containsExactlyInAnyOrder("AU", "NZ", "NF", "HM", "CX", "CC");
        assertThatThrownBy(() -> Territories.expand("999"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown territory code '999'");
    }

    @Test
    void everyM49RegionHasMembersAndEveryCountryAZone() {
        for (String region : Territories.M49_REGIONS.keySet()) {
            assertThat(Territories.expand(region)).as(region).isNotEmpty();
        }
        for (String country : Territories.countries()) {
            assertThat(TerritoryZones.zonesOf(country)).as(country).isNotEmpty();
            assertThat(Territories.countryAt(Territories.countryIndex(country))).isEqualTo(country);
        }
    }

    @Test
    void countryIndexRejectsNonCountries() {
        assertThat(Territories.countryIndex("us")).isEqualTo(-1);
        assertThat(Territories.countryIndex("ZZ")).isEqualTo(-1);
        assertThat(Territories.countryIndex("USA")).isEqualTo(-1);
        assertThat(Territories.countryIndex(null)).isEqualTo(-1);
    }

    @Test
    void zones() {
        assertThat(TerritoryZones.zoneOf("JP")).isEqualTo(ZoneId.of("Asia/Tokyo"));
        assertThat(TerritoryZones.zoneOf("US")).isEqualTo(ZoneId.of("America/New_York"));
        assertThat(TerritoryZones.zonesOf("US")).contains(ZoneId.of("Pacific/Honolulu"));
        assertThatThrownBy(() -> TerritoryZones.zoneOf("EU")).hasMessageContaining("region");
    }

    @Test
    void gapAndOverlapResolveToTheFirstInstantTheClockShowsTheTime() {
        ZoneId paris = ZoneId.of("Europe/Paris");
        assertThat(
                        TerritoryZones.firstInstantAtOrAfter(
                                LocalDateTime.parse("2028-03-26T02:30"), paris))
                .isEqualTo(Instant.parse("2028-03-26T01:00:00Z"));
        assertThat(
                        TerritoryZones.firstInstantAtOrAfter(
                                LocalDateTime.parse("2028-10-29T02:30"), paris))
                .isEqualTo(Instant.parse("2028-10-29T00:30:00Z"));
    }

    @Test
    void multiZoneOpeningIsLatestAndClosingEarliest() {
        RightTime june1 = RightTime.parse("2028-06-01");
        assertThat(TerritoryZones.opening("US", june1))
                .isEqualTo(Instant.parse("2028-06-01T10:00:00Z"));
        assertThat(TerritoryZones.closing("US", june1))
                .isEqualTo(Instant.parse("2028-06-01T04:00:00Z"));
        // no tz zone (Bouvet Island): the extreme offsets
        assertThat(TerritoryZones.opening("BV", june1))
                .isEqualTo(Instant.parse("2028-06-01T12:00:00Z"));
        assertThat(TerritoryZones.closing("BV", june1))
                .isEqualTo(Instant.parse("2028-05-31T10:00:00Z"));
    }
}
