package dev.marquee.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.rights.RightsEvaluator;
import dev.marquee.schema.RightEvent;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * The offline evaluator (the rights lifecycle job's semantic core): queries a second on one thread
 * over synthetic Pay-1 rights. Goal: over a million a second on one core.
 */
public final class RightsEvalBench implements BenchEntry {
    @Override
    public String name() {
        return "rights-eval";
    }

    @Override
    public ObjectNode run(BenchContext context) {
        context.log().println("rights eval: offline evaluator, one thread...");
        int rights = 10_000;
        double qps = queriesPerSecond(rights, context.scaled(2_000_000));
        context.log()
                .printf(
                        "  %,.0f queries/s over %,d rights (goal: over 1,000,000 a second on one core)%n",
                        qps, rights);
        ObjectNode entry = context.json().createObjectNode();
        entry.put("job", name());
        entry.put("rights", rights);
        entry.put("queriesPerSecond", Math.round(qps));
        return entry;
    }

    /**
     * Queries per second of the offline evaluator (the rights lifecycle job's semantic core) over
     * synthetic Pay-1 rights: after a warm-up, a fixed set of random (title, country, instant)
     * queries, timed on this thread.
     */
    static double queriesPerSecond(int rightsCount, int queries) {
        RightsEvaluator evaluator = new RightsEvaluator();
        List<String> countries =
                List.of("US", "GB", "JP", "FR", "DE", "BR", "IN", "KR", "MX", "AU");
        Random random = new Random(42);
        for (int i = 0; i < rightsCount; i++) {
            evaluator.accept(
                    RightEvent.newBuilder()
                            .setRightId("r-" + i)
                            .setContentId("c-" + (i % (rightsCount / 2)))
                            .setTerritory(
                                    i % 5 == 0
                                            ? List.of("EU")
                                            : countries.subList(
                                                    0, 1 + random.nextInt(countries.size())))
                            .setWindowStart(i % 2 == 0 ? "2028-03-15" : "2028-03-15T00:00:00Z")
                            .setWindowEnd(i % 3 == 0 ? null : "2031-03-14")
                            .setIssuedAt(Instant.parse("2026-11-20T00:00:00Z"))
                            .build());
        }
        int n = 1 << 16;
        String[] content = new String[n];
        String[] country = new String[n];
        Instant[] at = new Instant[n];
        long from = Instant.parse("2027-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < n; i++) {
            content[i] = "c-" + random.nextInt(rightsCount / 2);
            country[i] = countries.get(random.nextInt(countries.size()));
            at[i] =
                    Instant.ofEpochMilli(
                            from + (long) (random.nextDouble() * 6 * 365 * 86_400_000L));
        }
        long available = 0;
        for (int i = 0; i < 500_000; i++) { // warm-up: JIT and the per-country instant caches
            available +=
                    evaluator
                                    .evaluate(
                                            content[i & (n - 1)],
                                            country[i & (n - 1)],
                                            at[i & (n - 1)])
                                    .available()
                            ? 1
                            : 0;
        }
        long start = System.nanoTime();
        for (int i = 0; i < queries; i++) {
            int k = i & (n - 1);
            available += evaluator.evaluate(content[k], country[k], at[k]).available() ? 1 : 0;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (available < 0) {
            throw new IllegalStateException(); // keeps the loop's result alive
        }
        return queries / seconds;
    }
}
