package dev.marquee.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.schema.RightEvent;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class AvroJsonTest {
    private static final Schema RIGHT = RightEvent.getClassSchema();
    private static final String PAY1 =
            "{\"rightId\":\"r-1\",\"contentId\":\"c-1\",\"territory\":[\"US\",\"GB\",\"JP\"],"
                    + "\"windowStart\":\"2028-03-15T00:00:00Z\",\"windowEnd\":\"2031-03-15T00:00:00Z\","
                    + "\"exclusivity\":\"pay-1\",\"exceptions\":[{\"type\":\"festival\",\"start\":\"2028-03-01\","
                    + "\"end\":\"2028-03-10\",\"territory\":[\"JP\"]}],\"issuedAt\":\"2026-11-25T08:00:00Z\"}";

    @Test
    void parsesPlainJsonWithDefaultsAndRendersItBack() {
        GenericRecord record = AvroJson.parse(PAY1, RIGHT);
        assertThat(record.get("revision")).isEqualTo(1L);
        assertThat(record.get("status").toString()).isEqualTo("ACTIVE");
        assertThat(record.get("issuedAt")).isEqualTo(1795593600000L);
        var json = AvroJson.toJson(record);
        assertThat(json.get("issuedAt").asText()).isEqualTo("2026-11-25T08:00:00Z");
        assertThat(json.get("exclusivity").asText()).isEqualTo("pay-1");
        assertThat(json.get("licenseType").isNull()).isTrue();
        assertThat(AvroJson.parse(json.toString(), RIGHT)).isEqualTo(record);
    }

    @Test
    void namesTheFieldAndWhyWhenJsonDoesNotFit() {
        assertThatThrownBy(() -> AvroJson.parse(PAY1.replace("[\"US\",", "[7,"), RIGHT))
                .hasMessage("field 'territory[0]': expected a string, got number 7");
        assertThatThrownBy(() -> AvroJson.parse(PAY1.replace("\"rightId\":\"r-1\",", ""), RIGHT))
                .hasMessage("field 'rightId': required field is missing");
        assertThatThrownBy(
                        () ->
                                AvroJson.parse(
                                        PAY1.replace("\"c-1\",", "\"c-1\",\"statis\":1,"), RIGHT))
                .hasMessageStartingWith("field 'statis': unknown field");
        assertThatThrownBy(
                        () ->
                                AvroJson.parse(
                                        PAY1.replace(
                                                "\"issuedAt\":\"2026-11-25T08:00:00Z\"",
                                                "\"issuedAt\":\"yesterday\",\"status\":\"OPEN\""),
                                        RIGHT))
                .hasMessageContaining("field 'status': expected one of [ACTIVE, REVOKED]");
        assertThatThrownBy(() -> AvroJson.parse("{not json", RIGHT))
                .hasMessageStartingWith("record: not valid JSON");
    }
}
