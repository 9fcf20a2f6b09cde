package dev.marquee.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * One long-lived process of the local stack: how to start it, how to tell it is ready, and how to
 * find it again later.
 *
 * <p>Finding it again is the hard part of a detached stack: {@code stack status} and {@code stack
 * down} run in a new JVM long after {@code up} exited. Every command line therefore carries two
 * marker system properties, {@code -Dmarquee.stack=<component>} and {@code
 * -Dmarquee.stack.dir=<stack folder>}; the pid file is a fast path, and the marker both validates
 * it (a pid may have been reused by an unrelated process after a reboot) and finds strays whose pid
 * file is gone. The folder in the marker keeps two checkouts (or a test's sandbox) from touching
 * each other's processes.
 */
abstract class Component {
    static final String MARKER = "marquee.stack";
    static final String MARKER_DIR = "marquee.stack.dir";

    protected final StackLayout layout;

    Component(StackLayout layout) {
        this.layout = layout;
    }

    /** Short name used in output, file names and the marker. */
    abstract String name();

    /** Fixed loopback ports it binds: they must be free before it starts. */
    abstract List<Integer> ports();

    /** Where a person or program reaches it, for {@code stack status}. */
    abstract String address();

    /**
     * Checks, before anything starts, what would make its start fail for sure (a missing build, a
     * missing JDK), so {@code up} fails with one clear sentence instead of half a stack.
     */
    void preflight() {}

    /** Writes its configuration files (and formats storage) before a start. */
    void prepare() throws IOException {}

    /** The full command line, marker included (see {@link #marker()}). */
    abstract List<String> command() throws IOException;

    /** The working directory of the process (where stray JVM files like hs_err land). */
    abstract Path workDir();

    /** Whether it answers now: a quick check (a couple of seconds at most when it does not). */
    abstract boolean answers();

    /**
     * Waits until it answers, it dies or {@link #readyTimeout()} passes. Components whose probe is
     * costly to set up (a Kafka admin client) override this to reuse one across attempts.
     */
    ChildProcesses.Readiness awaitReady(long pid) {
        return ChildProcesses.await(pid, this::answers, readyTimeout());
    }

    Duration readyTimeout() {
        return Duration.ofSeconds(60);
    }

    Duration stopGrace() {
        return Duration.ofSeconds(20);
    }

    Path logFile() {
        return layout.logs().resolve(name() + ".log");
    }

    Path outFile() {
        return layout.logs().resolve(name() + ".out");
    }

    Path pidFile() {
        return layout.pids().resolve(name() + ".pid");
    }

    List<String> marker() {
        return List.of("-D" + MARKER + "=" + name(), "-D" + MARKER_DIR + "=" + layout.root());
    }

    boolean isOurs(List<String> args) {
        return args.containsAll(marker());
    }

    /**
     * The running process of this component: the pid file's if it is alive and carries our marker,
     * else any live process with the marker.
     */
    OptionalLong runningPid() {
        OptionalLong fromFile = readPidFile();
        if (fromFile.isPresent()) {
            long pid = fromFile.getAsLong();
            if (ProcessTable.isAlive(pid)
                    && ProcessTable.commandLine(pid).map(this::isOurs).orElse(false)) {
                return fromFile;
            }
        }
        return ProcessTable.find(this::isOurs).stream().mapToLong(Long::longValue).min();
    }

    /** Every live process carrying this component's marker (normally zero or one). */
    List<Long> allPids() {
        List<Long> pids = new ArrayList<>(ProcessTable.find(this::isOurs));
        pids.sort(null);
        return pids;
    }

    OptionalLong readPidFile() {
        try {
            String text = Files.readString(pidFile()).trim();
            return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    void writePidFile(long pid) throws IOException {
        Files.createDirectories(pidFile().getParent());
        Path tmp = pidFile().resolveSibling(pidFile().getFileName() + ".tmp");
        Files.writeString(tmp, pid + System.lineSeparator());
        Files.move(
                tmp,
                pidFile(),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    void deletePidFile() throws IOException {
        Files.deleteIfExists(pidFile());
    }

    /** Starts it detached and records its pid. */
    Process launch() throws IOException {
        prepare();
        Process process = ChildProcesses.start(command(), workDir(), outFile(), true);
        writePidFile(process.pid());
        return process;
    }

    /** Log tails for error messages. */
    String logTails() {
        return ChildProcesses.tails(25, logFile(), outFile());
    }
}
