package dev.marquee.rights;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.marquee.avails.AvailsParser;
import dev.marquee.avails.AvailsResult;
import dev.marquee.avails.NotAvailsException;
import dev.marquee.cli.UserError;
import dev.marquee.schema.RightEvent;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rights eval --rights FILE --queries FILE}: rights as JSON lines (applied in order, with
 * revision semantics) or an EMA Avails file (parsed as {@code avails parse} does, rights applied in
 * document order), queries as JSON lines; one JSON result per query, same order. Avails
 * transactions that fail are reported on stderr after the answers and make the exit code 1: the
 * answers stand for the good rights only.
 */
@Command(
        name = "eval",
        mixinStandardHelpOptions = true,
        description =
                "Answer availability queries {contentId, territory, at} against rights (JSON lines"
                        + " or an Avails file); one JSON line per query on stdout, same order."
                        + " Avails errors go to stderr after the answers, and exit 1.")
public final class RightsEvalCommand implements Callable<Integer> {
    @Option(
            names = "--rights",
            required = true,
            paramLabel = "FILE",
            description =
                    "Rights as JSON lines (RightEvent's plain-JSON form), or an EMA Avails file"
                            + " (XML or .xlsx, read as avails parse does)")
    String rightsFile;

    @Option(
            names = "--queries",
            required = true,
            paramLabel = "FILE",
            description = "Queries as JSON lines {contentId, territory, at}")
    String queriesFile;

    @Option(
            names = "--issued-at",
            paramLabel = "INSTANT",
            description =
                    "For an Avails --rights file: the issue time of avails without an IssueDate"
                            + " (default: the file's last-modified time)")
    String issuedAt;

    @Override
    public Integer call() {
        Path rightsPath = RightsInput.existingFile(rightsFile, "rights");
        Path queriesPath = RightsInput.existingFile(queriesFile, "queries");
        RightsEvaluator evaluator = new RightsEvaluator();
        AvailsResult avails = null;
        List<String> rejected = new java.util.ArrayList<>();
        if (isAvails(rightsPath)) {
            avails = parseAvails(rightsPath);
            for (RightEvent right : avails.rights()) {
                try {
                    evaluator.accept(right);
                } catch (IllegalArgumentException e) {
                    // as the rights job would send it to the DLQ: reported, the rest still count
                    rejected.add("right " + right.getRightId() + ": " + e.getMessage());
                }
            }
        } else {
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
        if (avails != null) {
            // after the answers, so they are there for the good rights; exit 1 says some
            // transactions were left out and the answers may lack their rights
            System.err.flush();
            for (String note : avails.notes()) {
                System.err.println("note: " + note);
            }
            for (String error : avails.errors()) {
                System.err.println("error: " + error);
            }
            for (String error : rejected) {
                System.err.println("error: " + error);
            }
            System.err.printf(
                    "rights %s: %d right(s) from the Avails file applied, %d transaction(s) failed%n",
                    rightsFile,
                    avails.rights().size() - rejected.size(),
                    avails.errors().size() + rejected.size());
            return avails.complete() && rejected.isEmpty() ? 0 : 1;
        }
        return 0;
    }

    /**
     * An Avails file rather than JSON lines: named .xml or .xlsx, or starting (after white space)
     * with '<' (XML) or "PK" (an .xlsx zip). JSON lines start with '{'.
     */
    static boolean isAvails(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".xml") || name.endsWith(".xlsx")) {
            return true;
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
            byte[] head = in.readNBytes(2);
            if (head.length == 2 && head[0] == 'P' && head[1] == 'K') {
                return true;
            }
        } catch (IOException e) {
            throw new UserError("cannot read " + path + ": " + e.getMessage());
        }
        for (String line : RightsInput.lines(path)) {
            String text = line.strip();
            if (!text.isEmpty()) {
                return text.startsWith("<") || text.startsWith("\uFEFF<");
            }
        }
        return false;
    }

    private AvailsResult parseAvails(Path path) {
        try {
            if (issuedAt == null) {
                return AvailsParser.parse(path);
            }
            return AvailsParser.parse(path, RightsInput.instant(issuedAt, "--issued-at"));
        } catch (NotAvailsException e) {
            throw new UserError(e.getMessage());
        }
    }
}
