package dev.marquee.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Executes {@code capacity-planning.ipynb} headless with Debian's Python and Jupyter, the way a
 * person would with {@code jupyter nbconvert --execute}, then reads the executed notebook back.
 *
 * <p>The Python side is not optional: if {@code /usr/bin/python3} or its Jupyter packages are
 * missing the test fails and names {@code notebooks/requirements-apt.txt}, which the project's
 * setup script installs.
 */
class CapacityPlanningNotebookTest {

    private static final Path DEBIAN_PYTHON = Path.of("/usr/bin/python3");
    private static final String NOTEBOOK_NAME = "capacity-planning.ipynb";
    private static final String FIGURE_NAME = "capacity-scenarios.png";

    /** Whole nbconvert run (kernel start, all cells, writing the result). */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    /** Longest any single cell may run. */
    private static final int CELL_TIMEOUT_SECONDS = 180;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path moduleDir = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    private final Path notebook = moduleDir.resolve(NOTEBOOK_NAME);
    private final Path targetDir = moduleDir.resolve("target");
    private final Path executedNotebook = targetDir.resolve(NOTEBOOK_NAME);
    private final Path figure = targetDir.resolve(FIGURE_NAME);
    private final Path nbconvertLog = targetDir.resolve("nbconvert.log");

    @Test
    void committedNotebookHasNoOutputsAndATaggedParametersCell() throws IOException {
        JsonNode nb = JSON.readTree(notebook.toFile());
        assertEquals(
                "python3",
                nb.path("metadata").path("kernelspec").path("name").asText(),
                "the notebook must ask for the 'python3' kernel, which the test maps to /usr/bin/python3");

        List<JsonNode> codeCells = codeCells(nb);
        assertTrue(
                codeCells.size() >= 5,
                "expected a notebook of several code cells, found " + codeCells.size());
        for (JsonNode cell : codeCells) {
            assertEquals(
                    0,
                    cell.path("outputs").size(),
                    "commit the notebook with outputs cleared; this cell has outputs:\n"
                            + text(cell.path("source")));
            assertTrue(
                    cell.path("execution_count").isNull(),
                    "commit the notebook with outputs cleared; this cell has an execution count:\n"
                            + text(cell.path("source")));
        }

        JsonNode firstCode = codeCells.get(0);
        assertTrue(
                tags(firstCode).contains("parameters"),
                "the first code cell holds the parameters and must be tagged 'parameters', tags: "
                        + tags(firstCode));

        boolean asserts4Tbps =
                codeCells.stream()
                        .map(c -> text(c.path("source")))
                        .anyMatch(
                                src ->
                                        src.contains("peak_bandwidth_tbps(1_000_000, 4)")
                                                && src.contains("assert"));
        assertTrue(
                asserts4Tbps,
                "the notebook itself must assert that 1,000,000 streams x 4 Mbps == 4 Tbps");
    }

    @Test
    void executesHeadlessWithDebianJupyterAndProducesTableAndFigure() throws Exception {
        requireDebianJupyter();

        Files.createDirectories(targetDir);
        Files.deleteIfExists(executedNotebook);
        Files.deleteIfExists(figure);

        List<String> command =
                List.of(
                        DEBIAN_PYTHON.toString(),
                        "-Xfrozen_modules=off",
                        "-m",
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--ExecutePreprocessor.kernel_name=python3",
                        "--ExecutePreprocessor.timeout=" + CELL_TIMEOUT_SECONDS,
                        "--output-dir",
                        targetDir.toString(),
                        notebook.toString());
        long started = System.nanoTime();
        int exit = run(command, nbconvertLog, RUN_TIMEOUT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String log = Files.readString(nbconvertLog, StandardCharsets.UTF_8);
        System.out.printf(
                "nbconvert executed %s in %.1f s%n", NOTEBOOK_NAME, took.toMillis() / 1000.0);
        if (exit != 0) {
            fail(
                    "nbconvert exited with "
                            + exit
                            + ": the notebook failed to execute.\n"
                            + "command: "
                            + String.join(" ", command)
                            + "\n"
                            + "---- nbconvert output ----\n"
                            + log);
        }
        assertTrue(
                Files.isRegularFile(executedNotebook),
                "nbconvert exited 0 but wrote no " + executedNotebook + "\n" + log);

        JsonNode nb = JSON.readTree(executedNotebook.toFile());
        List<JsonNode> codeCells = codeCells(nb);

        List<String> errors = new ArrayList<>();
        StringBuilder allText = new StringBuilder();
        List<String> plainTables = new ArrayList<>();
        List<byte[]> inlinePngs = new ArrayList<>();
        for (JsonNode cell : codeCells) {
            if (cell.path("execution_count").isNull()) {
                errors.add("cell was not executed:\n" + text(cell.path("source")));
            }
            for (JsonNode output : cell.path("outputs")) {
                String type = output.path("output_type").asText();
                switch (type) {
                    case "error" ->
                            errors.add(
                                    output.path("ename").asText()
                                            + ": "
                                            + output.path("evalue").asText()
                                            + "\n"
                                            + stripAnsi(lines(output.path("traceback"))));
                    case "stream" -> {
                        if ("stderr".equals(output.path("name").asText())) {
                            System.out.println("notebook stderr: " + text(output.path("text")));
                        }
                        allText.append(text(output.path("text"))).append('\n');
                    }
                    case "display_data", "execute_result" -> {
                        JsonNode data = output.path("data");
                        if (data.has("text/plain")) {
                            String plain = text(data.path("text/plain"));
                            plainTables.add(plain);
                            allText.append(plain).append('\n');
                        }
                        if (data.has("image/png")) {
                            inlinePngs.add(
                                    Base64.getMimeDecoder().decode(text(data.path("image/png"))));
                        }
                    }
                    default -> {}
                }
            }
        }
        assertTrue(errors.isEmpty(), "cells failed:\n" + String.join("\n\n", errors));

        String output = allText.toString();
        assertTrue(
                output.contains("Kernel interpreter: " + DEBIAN_PYTHON),
                "the kernel must run on Debian's "
                        + DEBIAN_PYTHON
                        + " (kernelspec in notebooks/jupyter/kernels), "
                        + "the notebook reported:\n"
                        + firstLineContaining(output, "Kernel interpreter").orElse(output));
        assertTrue(
                output.contains(
                        "Model check: 1,000,000 streams x 4 Mbps = 4,000,000 Mbps = 4.00 Tbps"),
                "the model check line is missing:\n" + output);

        String scenarioTable =
                plainTables.stream()
                        .filter(
                                t ->
                                        t.contains("Concurrent streams")
                                                && t.contains("Peak edge egress"))
                        .findFirst()
                        .orElseGet(
                                () ->
                                        fail(
                                                "no scenario table (Concurrent streams / Peak edge egress) in the outputs:\n"
                                                        + output));
        String expectedRow =
                Arrays.stream(scenarioTable.split("\n"))
                        .filter(line -> line.startsWith("Expected "))
                        .findFirst()
                        .orElseGet(
                                () ->
                                        fail(
                                                "no 'Expected' row in the scenario table:\n"
                                                        + scenarioTable));
        assertTrue(
                expectedRow.contains("1,000,000")
                        && expectedRow.contains(" 4.00 Mbps")
                        && expectedRow.contains(" 4.00 Tbps")
                        && expectedRow.contains(" 200 Gbps"),
                "expected scenario must be 1,000,000 streams x 4.00 Mbps = 4.00 Tbps, 200 Gbps from origin; row:\n"
                        + expectedRow
                        + "\nin table:\n"
                        + scenarioTable);

        assertTrue(!inlinePngs.isEmpty(), "no image/png output: the chart was not shown inline");
        for (byte[] png : inlinePngs) {
            assertPng(png, "inline image/png output");
        }

        assertTrue(Files.isRegularFile(figure), "the notebook did not write " + figure);
        assertTrue(Files.size(figure) > 0, figure + " is empty");
        assertPng(Files.readAllBytes(figure), figure.toString());
    }

    /** Fails, naming requirements-apt.txt, when Debian's Python or its Jupyter stack is missing. */
    private void requireDebianJupyter() throws IOException, InterruptedException {
        String packages;
        try {
            packages =
                    Files.readAllLines(moduleDir.resolve("requirements-apt.txt")).stream()
                            .map(String::strip)
                            .filter(s -> !s.isEmpty())
                            .collect(Collectors.joining(" "));
        } catch (IOException e) {
            packages = "(notebooks/requirements-apt.txt is unreadable: " + e + ")";
        }
        String hint =
                "Install the Debian packages in notebooks/requirements-apt.txt (the project's setup script does), "
                        + "e.g. as root: apt-get update && apt-get install -y "
                        + packages;
        if (!Files.isExecutable(DEBIAN_PYTHON)) {
            fail(DEBIAN_PYTHON + " (Debian's Python, which runs the notebook) is missing. " + hint);
        }
        Path probeLog = targetDir.resolve("python-probe.log");
        Files.createDirectories(targetDir);
        int exit =
                run(
                        List.of(
                                DEBIAN_PYTHON.toString(),
                                "-c",
                                "import nbconvert, nbclient, ipykernel, matplotlib, pandas, numpy"),
                        probeLog,
                        Duration.ofMinutes(1));
        if (exit != 0) {
            fail(
                    DEBIAN_PYTHON
                            + " lacks nbconvert / ipykernel / matplotlib / pandas. "
                            + hint
                            + "\n"
                            + Files.readString(probeLog, StandardCharsets.UTF_8));
        }
    }

    /**
     * Runs a command from the module directory with the environment pinned to Debian's Jupyter: the
     * python3 kernelspec in notebooks/jupyter/kernels (JUPYTER_PATH comes before the user's and the
     * system's kernel folders), no user site-packages, no PYTHONPATH, the Agg backend.
     */
    private int run(List<String> command, Path log, Duration timeout)
            throws IOException, InterruptedException {
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(moduleDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
        Map<String, String> env = builder.environment();
        env.remove("PYTHONPATH");
        env.remove("PYTHONHOME");
        env.remove("PYTHONSTARTUP");
        env.put("PYTHONNOUSERSITE", "1");
        env.put("MPLBACKEND", "Agg");
        env.put("JUPYTER_PATH", moduleDir.resolve("jupyter").toString());
        env.put("JUPYTER_RUNTIME_DIR", targetDir.resolve("jupyter-runtime").toString());
        env.put("IPYTHONDIR", targetDir.resolve("ipython").toString());

        Process process = builder.start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            fail(
                    "timed out after "
                            + timeout.toSeconds()
                            + " s: "
                            + String.join(" ", command)
                            + "\n---- output ----\n"
                            + Files.readString(log, StandardCharsets.UTF_8));
        }
        return process.exitValue();
    }

    private static void assertPng(byte[] bytes, String what) throws IOException {
        assertTrue(bytes.length > PNG_MAGIC.length, what + " is empty");
        assertTrue(
                Arrays.equals(Arrays.copyOf(bytes, PNG_MAGIC.length), PNG_MAGIC),
                what + " is not a PNG");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
        assertNotNull(image, what + " does not decode as an image");
        assertTrue(
                image.getWidth() >= 800 && image.getHeight() >= 600,
                what + " is too small to read: " + image.getWidth() + "x" + image.getHeight());
    }

    private static List<JsonNode> codeCells(JsonNode nb) {
        List<JsonNode> cells = new ArrayList<>();
        nb.path("cells")
                .forEach(
                        cell -> {
                            if ("code".equals(cell.path("cell_type").asText())) {
                                cells.add(cell);
                            }
                        });
        return cells;
    }

    private static List<String> tags(JsonNode cell) {
        List<String> tags = new ArrayList<>();
        cell.path("metadata").path("tags").forEach(tag -> tags.add(tag.asText()));
        return tags;
    }

    /** nbformat stores multi-line text either as one string or as a list of lines. */
    private static String text(JsonNode node) {
        if (node.isArray()) {
            StringBuilder joined = new StringBuilder();
            node.forEach(part -> joined.append(part.asText()));
            return joined.toString();
        }
        return node.asText("");
    }

    /** A traceback is a list of lines without line ends. */
    private static String lines(JsonNode node) {
        List<String> lines = new ArrayList<>();
        node.forEach(line -> lines.add(line.asText()));
        return String.join("\n", lines);
    }

    private static String stripAnsi(String s) {
        return s.replaceAll("\u001B\\[[;\\d]*m", "");
    }

    private static Optional<String> firstLineContaining(String text, String needle) {
        return Arrays.stream(text.split("\n")).filter(l -> l.contains(needle)).findFirst();
    }
}
