package dev.marquee.rights;

import com.fasterxml.jackson.databind.JsonNode;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code rights test DIR}: rights as code. Every {@code *.json} file in DIR is one scenario:
 *
 * <pre>{"name": "...", "description": "...", "rights": [right, ...],
 *  "expect": [{"contentId", "territory", "at", "expect": "available"|"unavailable",
 *              "rightId"?: deciding right, "reason"?: reason code, "note"?: text}, ...]}</pre>
 *
 * Rights are applied in list order (so a late lower revision is written after the higher one).
 * Prints one line per failing expectation and ends with {@code N passed, N failed}; exit 1 if any
 * failed, 2 on bad input.
 */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        description =
                "Run rights-as-code scenario files (*.json) in DIR; ends with 'N passed, N failed'.")
public final class RightsTestCommand implements Callable<Integer> {
    private static final Set<String> SCENARIO_FIELDS =
            Set.of("name", "description", "rights", "expect");
    private static final Set<String> EXPECT_FIELDS =
            Set.of("contentId", "territory", "at", "expect", "rightId", "reason", "note");

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of scenario files (*.json)")
    String dir;

    @Override
    public Integer call() {
        Path folder = MarqueeHome.detect().userFile(Path.of(dir));
        if (!Files.isDirectory(folder)) {
            throw new UserError("scenario folder " + dir + " does not exist");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files =
                    list.filter(p -> p.getFileName().toString().endsWith(".json"))
                            .sorted()
                            .toList();
        } catch (IOException e) {
            throw new UserError("cannot list " + dir + ": " + e.getMessage());
        }
        if (files.isEmpty()) {
            throw new UserError("no scenario files (*.json) in " + dir);
        }
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            int[] counts = run(file);
            passed += counts[0];
            failed += counts[1];
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.out.flush();
        return failed == 0 ? 0 : 1;
    }

    /** Runs one scenario file; returns {passed, failed}. */
    private int[] run(Path file) {
        String fileName = file.getFileName().toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot read " + file + ": " + e.getMessage());
        }
        JsonNode scenario = RightsInput.tree(text, fileName);
        if (!scenario.isObject()) {
            throw new UserError(fileName + ": a scenario must be a JSON object");
        }
        for (Iterator<String> it = scenario.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!SCENARIO_FIELDS.contains(field)) {
                throw new UserError(
                        fileName
                                + ": unknown field '"
                                + field
                                + "'; a scenario has "
                                + SCENARIO_FIELDS);
            }
        }
        String name = scenario.hasNonNull("name") ? scenario.get("name").asText() : fileName;
        JsonNode rights = scenario.get("rights");
        JsonNode expect = scenario.get("expect");
        if (rights == null || !rights.isArray()) {
            throw new UserError(fileName + ": field 'rights' must be a list of rights");
        }
        if (expect == null || !expect.isArray() || expect.isEmpty()) {
            throw new UserError(fileName + ": field 'expect' must be a non-empty list");
        }
        RightsEvaluator evaluator = new RightsEvaluator();
        for (int i = 0; i < rights.size(); i++) {
            String where = fileName + " rights[" + i + "]";
            RightsInput.accept(evaluator, RightsInput.right(rights.get(i), where), where);
        }
        int passed = 0;
        int failed = 0;
        for (int i = 0; i < expect.size(); i++) {
            String where = fileName + " expect[" + i + "]";
            JsonNode e = expect.get(i);
            RightsInput.Query q = RightsInput.query(e, where);
            for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                if (!EXPECT_FIELDS.contains(field)) {
                    throw new UserError(
                            where
                                    + ": unknown field '"
                                    + field
                                    + "'; an expectation has "
                                    + EXPECT_FIELDS);
                }
            }
            String wanted = RightsInput.text(e, "expect", where);
            if (!wanted.equals("available") && !wanted.equals("unavailable")) {
                throw new UserError(
                        where
                                + ": field 'expect' must be available or unavailable, got '"
                                + wanted
                                + "'");
            }
            RightsEvaluator.Decision d = evaluator.evaluate(q.contentId(), q.territory(), q.at());
            String actual = d.available() ? "available" : "unavailable";
            String wantedRight = e.hasNonNull("rightId") ? e.get("rightId").asText() : null;
            String wantedReason = e.hasNonNull("reason") ? e.get("reason").asText() : null;
            boolean ok =
                    actual.equals(wanted)
                            && (wantedRight == null || wantedRight.equals(d.decidingRightId()))
                            && (wantedReason == null || wantedReason.equals(d.reason().code()));
            if (ok) {
                passed++;
            } else {
                failed++;
                System.out.println(
                        "FAIL "
                                + fileName
                                + " \""
                                + name
                                + "\" expect["
                                + i
                                + "] "
                                + q.contentId()
                                + " "
                                + q.territory()
                                + " "
                                + q.atText()
                                + ": expected "
                                + wanted
                                + (wantedRight == null ? "" : " by " + wantedRight)
                                + (wantedReason == null ? "" : " (" + wantedReason + ")")
                                + ", got "
                                + actual
                                + " (reason "
                                + d.reason().code()
                                + ", deciding right "
                                + d.decidingRightId()
                                + ")");
            }
        }
        return new int[] {passed, failed};
    }
}
