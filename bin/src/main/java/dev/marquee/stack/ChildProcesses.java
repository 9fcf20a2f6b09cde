package dev.marquee.stack;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Starting child JVMs and reading their logs back when something goes wrong. */
final class ChildProcesses {
    private static final List<Path> SETSID =
            List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private ChildProcesses() {}

    /**
     * Starts a command with stdin from /dev/null and stdout+stderr into {@code out} (truncated).
     *
     * <p>{@code detached} is for the stack's long-lived processes: they must outlive the CLI and
     * the terminal it ran in. A child of a JVM already survives that JVM's exit on Linux (it is
     * re-parented), but it stays in the terminal's session and process group, so a Ctrl-C while
     * {@code stack up} waits, or closing the terminal, would signal it too. {@code setsid} gives it
     * a session of its own. Our JVM's children are never process-group leaders, so setsid calls
     * setsid(2) and execs in place without forking: the pid we get is the JVM's pid.
     */
    static Process start(List<String> command, Path workDir, Path out, boolean detached)
            throws IOException {
        List<String> full = new ArrayList<>();
        if (detached) {
            SETSID.stream()
                    .filter(Files::isExecutable)
                    .findFirst()
                    .ifPresent(p -> full.add(p.toString()));
        }
        full.addAll(command);
        Files.createDirectories(workDir);
        Files.createDirectories(out.getParent());
        ProcessBuilder builder =
                new ProcessBuilder(full)
                        .directory(workDir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                        .redirectOutput(ProcessBuilder.Redirect.to(out.toFile()))
                        .redirectErrorStream(true);
        return builder.start();
    }

    /** The last {@code lines} lines of a text file, or "" if there is none. Reads at most 64 kB. */
    static String tail(Path file, int lines) {
        if (file == null || !Files.isRegularFile(file)) {
            return "";
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            long length = raf.length();
            long from = Math.max(0, length - 64 * 1024);
            byte[] buf = new byte[(int) (length - from)];
            raf.seek(from);
            raf.readFully(buf);
            String[] all = new String(buf, StandardCharsets.UTF_8).split("\r?\n");
            int start = Math.max(0, all.length - lines);
            return String.join(System.lineSeparator(), List.of(all).subList(start, all.length));
        } catch (IOException e) {
            return "";
        }
    }

    /** Log tails for an error message: each non-empty file, headed by its path. */
    static String tails(int lines, Path... files) {
        StringBuilder sb = new StringBuilder();
        for (Path f : files) {
            String t = tail(f, lines);
            if (!t.isBlank()) {
                sb.append(System.lineSeparator())
                        .append("--- last lines of ")
                        .append(f)
                        .append(" ---")
                        .append(System.lineSeparator())
                        .append(t);
            }
        }
        return sb.toString();
    }

    /** How waiting for a process to become ready ended. */
    enum Readiness {
        READY,
        DIED,
        TIMED_OUT
    }

    /**
     * Polls {@code probe} until it answers, the process dies or the timeout passes. Checking that
     * the process is still alive turns a crash at startup (a bad flag, a taken port) into an
     * immediate error instead of a minute of waiting.
     */
    static Readiness await(long pid, BooleanSupplier probe, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!ProcessTable.isAlive(pid)) {
                return Readiness.DIED;
            }
            if (probe.getAsBoolean()) {
                return Readiness.READY;
            }
            if (System.nanoTime() > deadline) {
                return Readiness.TIMED_OUT;
            }
            ProcessTable.sleep(200);
        }
    }
}
