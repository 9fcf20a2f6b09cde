package dev.marquee.rights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.schema.RightEvent;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rights eval --rights FILE --queries FILE}: rights as JSON lines (applied in order, with
 * revision semantics), queries as JSON lines; one JSON result per query, same order.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Answer availability queries {contentId, territory, at} against rights (JSON lines);"
                        + " one JSON line per query on stdout, same order.")
public final class RightsEvalCommand implements Callable<Integer> {
    @Option(
            names = "--rights",
            required = true,
            paramLabel = "FILE",
            description = "Rights as JSON lines (RightEvent's plain-JSON form)")
    String rightsFile;

    @Option(
            names = "--queries",
            required = true,
            paramLabel = "FILE",
            description = "Queries as JSON lines {contentId, territory, at}")
    String queriesFile;

    @Override
    public Integer call() {
        Path rightsPath = RightsInput.existingFile(rightsFile, "rights");
        Path queriesPath = RightsInput.existingFile(queriesFile, "queries");
        RightsEvaluator evaluator = new RightsEvaluator();
        List<String> rightLines = RightsInput.lines(rightsPath);
        for (int i = 0; i < rightLines.size(); i++) {
            String line = rightLines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = rightsFile + " line " + (i + 1);
            RightEvent right = RightsInput.right(RightsInput.tree(line, where), where);
            RightsInput.accept(evaluator, right, where);
        }
        List<String> queryLines = RightsInput.lines(queriesPath);
        // check every query before answering any, so bad input produces no partial output
        List<RightsInput.Query> queries = new java.util.ArrayList<>();
        for (int i = 0; i < queryLines.size(); i++) {
            String line = queryLines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String where = queriesFile + " line " + (i + 1);
            queries.add(RightsInput.query(RightsInput.tree(line, where), where));
        }
        PrintWriter out =
                new PrintWriter(
                        new BufferedWriter(
                                new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
        for (RightsInput.Query q : queries) {
            RightsEvaluator.Decision d = evaluator.evaluate(q.contentId(), q.territory(), q.at());
            ObjectNode result = RightsInput.JSON.createObjectNode();
            result.put("contentId", q.contentId());
            result.put("territory", q.territory());
            result.put("at", q.atText());
            result.put("available", d.available());
            result.put("rightId", d.decidingRightId());
            result.put("reason", d.reason().code());
            out.println(result.toString());
        }
        out.flush();
        return 0;
    }
}
