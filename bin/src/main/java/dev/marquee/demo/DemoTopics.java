package dev.marquee.demo;

import dev.marquee.cli.TopicClients;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;

/** Reading a whole topic back, and the extra feeds the tests replay after the slate. */
public final class DemoTopics {
    private DemoTopics() {}

    /** Every committed record of a topic, decoded into the given SpecificRecord type. */
    public static <T extends SpecificRecord> List<T> readAll(
            TopicClients clients, String topic, Class<T> type) throws Exception {
        return DemoResults.readAll(clients, topic, type);
    }

    /** A rights event from the day after the slate, for restore tests. */
    public static List<String> nextDay() {
        return List.of(
                "{\"rightId\":\"r-sony-2001-pay1\",\"contentId\":\"eidr:10.5240/6D7E-8F9A-0B1C-2D3E-4F5A-D\","
                        + "\"revision\":1,\"status\":\"ACTIVE\",\"territory\":[\"SE\",\"NO\"],"
                        + "\"windowStart\":\"2028-09-01\",\"windowEnd\":\"2030-08-31\",\"exclusivity\":\"pay-1\","
                        + "\"issuedAt\":\"2026-11-21T09:00:00Z\",\"source\":\"next day\"}");
    }
}
