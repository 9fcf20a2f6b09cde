package dev.marquee.stack;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.Provisioner;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The local stack as a whole: Kafka, the schema registry and a Flink session cluster as background
 * processes on fixed loopback ports, so that {@code produce}, {@code consume}, {@code sql}, {@code
 * jobs submit} and a browser all find them at the same addresses every time.
 *
 * <p>Every operation is safe to repeat. {@code up} leaves a component that is running and answering
 * alone, starts the missing ones, and provisions topics and schemas idempotently; {@code down}
 * stops whatever it finds by pid file or marker, so it also cleans up after a crashed or
 * interrupted {@code up}. Data stays in {@code .marquee/stack} unless purged.
 */
public final class LocalStack {
    private static final Duration STRAY_GRACE = Duration.ofSeconds(20);

    private final MarqueeHome home;
    private final StackLayout layout;
    private final PrintStream out;
    private final List<Component> components;

    public LocalStack(MarqueeHome home, PrintStream out) {
        this.home = home;
        this.layout = StackLayout.of(home);
        this.out = out;
        FlinkCluster flink = new FlinkCluster(layout, home);
        this.components =
                List.of(
                        new KafkaBroker(layout, home),
                        new RegistryComponent(layout, home),
                        new FlinkCluster.JobManager(layout, flink),
                        new FlinkCluster.TaskManager(layout, flink));
    }

    public StackLayout layout() {
        return layout;
    }

    /**
     * Starts what is not running, waits until everything answers, provisions topics and schemas and
     * publishes the endpoints.
     *
     * <p>All checks come first (builds, JDK, ports), so a predictable failure starts nothing. Then
     * every missing component is launched and awaited on its own thread, and reported in order with
     * its own start-up time: the four JVMs do not depend on each other to start (a TaskManager
     * keeps retrying its JobManager until it answers), and overlapping their start-up (JVM warm-up,
     * Flink's memory sizing, Kafka's log recovery) is faster than one after the other even on two
     * cores.
     */
    public void up() {
        long begin = System.nanoTime();
        Map<Component, OptionalLong> running = new LinkedHashMap<>();
        for (Component c : components) {
            c.preflight();
        }
        for (Component c : components) {
            OptionalLong pid = c.runningPid();
            running.put(c, pid);
            if (pid.isEmpty()) {
                for (int port : c.ports()) {
                    if (!Ports.isFree(port)) {
                        throw portTaken(c, port);
                    }
                }
            }
        }
        try {
            Files.createDirectories(layout.logs());
            Files.createDirectories(layout.pids());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        List<String> toStart =
                components.stream()
                        .filter(c -> running.get(c).isEmpty())
                        .map(Component::name)
                        .toList();
        if (!toStart.isEmpty()) {
            out.printf("starting %s (logs in %s)%n", String.join(", ", toStart), layout.logs());
            out.flush();
        }
        ExecutorService pool =
                Executors.newFixedThreadPool(
                        components.size(),
                        r -> {
                            Thread t = new Thread(r, "stack-up");
                            t.setDaemon(true);
                            return t;
                        });
        try {
            Map<Component, CompletableFuture<Started>> starts = new LinkedHashMap<>();
            for (Component c : components) {
                OptionalLong pid = running.get(c);
                starts.put(
                        c,
                        CompletableFuture.supplyAsync(
                                () -> pid.isPresent() ? adopt(c, pid.getAsLong()) : start(c),
                                pool));
            }
            for (Map.Entry<Component, CompletableFuture<Started>> e : starts.entrySet()) {
                report(e.getKey(), join(e.getValue()));
            }
        } finally {
            pool.shutdownNow();
        }

        Endpoints endpoints = Endpoints.defaults();
        new Provisioner(endpoints, out).provision();
        try {
            endpoints.publish(home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + Endpoints.file(home), e);
        }
        out.printf(
                Locale.ROOT,
                "stack up in %.1f s: kafka %s, registry %s, flink %s%n",
                (System.nanoTime() - begin) / 1e9,
                endpoints.bootstrapServers(),
                endpoints.registryUrl(),
                endpoints.flinkRestUrl());
    }

    /** How one component came up: its pid, whether we started it, and how long it took. */
    private record Started(
            long pid,
            boolean launched,
            boolean wasAnswering,
            ChildProcesses.Readiness readiness,
            double seconds) {}

    /** Launches a component and waits for it, timing from the launch (configuration included). */
    private static Started start(Component c) {
        long t0 = System.nanoTime();
        long pid;
        try {
            c.deletePidFile();
            pid = c.launch().pid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + c.name() + ": " + e.getMessage(), e);
        }
        ChildProcesses.Readiness r = c.awaitReady(pid);
        return new Started(pid, true, false, r, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * A component already running: left alone if it answers, else given time to (it may be
     * starting).
     */
    private static Started adopt(Component c, long pid) {
        rewritePidFile(c, pid);
        if (c.answers()) {
            return new Started(pid, false, true, ChildProcesses.Readiness.READY, 0);
        }
        long t0 = System.nanoTime();
        ChildProcesses.Readiness r = c.awaitReady(pid);
        return new Started(pid, false, false, r, (System.nanoTime() - t0) / 1e9);
    }

    private static Started join(CompletableFuture<Started> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private void report(Component c, Started s) {
        if (s.readiness() != ChildProcesses.Readiness.READY) {
            out.printf(
                    "%-18s %s%n",
                    c.name(),
                    s.readiness() == ChildProcesses.Readiness.DIED ? "exited" : "not answering");
            out.flush();
            System.err.println(c.logTails());
            throw new UserError(
                    c.name()
                            + (s.readiness() == ChildProcesses.Readiness.DIED
                                    ? " exited while starting"
                                    : " did not answer within "
                                            + c.readyTimeout().toSeconds()
                                            + " s")
                            + " (its log is "
                            + c.logFile()
                            + "); run `bin/marquee stack down` to stop the rest");
        }
        if (s.launched()) {
            out.printf(
                    Locale.ROOT,
                    "%-18s ready in %.1f s (pid %d, %s)%n",
                    c.name(),
                    s.seconds(),
                    s.pid(),
                    c.address());
        } else if (s.wasAnswering()) {
            out.printf("%-18s already running (pid %d)%n", c.name(), s.pid());
        } else {
            out.printf(
                    Locale.ROOT,
                    "%-18s already running (pid %d), answered after %.1f s%n",
                    c.name(),
                    s.pid(),
                    s.seconds());
        }
        out.flush();
    }

    private static void rewritePidFile(Component c, long pid) {
        try {
            c.writePidFile(pid);
        } catch (IOException e) {
            // the marker still finds it
        }
    }

    private UserError portTaken(Component c, int port) {
        OptionalLong owner = ProcessTable.listenerPid(port);
        String who =
                owner.isPresent() ? ProcessTable.describe(owner.getAsLong()) : "another program";
        String ours =
                owner.isPresent()
                                && ProcessTable.commandLine(owner.getAsLong())
                                        .map(
                                                a ->
                                                        ProcessTable.systemProperties(a)
                                                                .containsKey(Component.MARKER))
                                        .orElse(false)
                        ? " (a Marquee stack of another checkout? stop it there)"
                        : "";
        return new UserError(
                "port "
                        + port
                        + " on 127.0.0.1, needed by "
                        + c.name()
                        + ", is already in use by "
                        + who
                        + ours
                        + "; stop it or free the port, then run `bin/marquee stack up` again");
    }

    /** One row of {@code stack status}. */
    public record Status(String name, State state, long pid, String address, long rssBytes) {
        public boolean running() {
            return state == State.RUNNING;
        }
    }

    /** A component is running only when its process is alive and answers. */
    public enum State {
        RUNNING,
        NOT_ANSWERING,
        STOPPED;

        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', ' ');
        }
    }

    public List<Status> status() {
        List<Status> rows = new ArrayList<>();
        for (Component c : components) {
            OptionalLong pid = c.runningPid();
            if (pid.isEmpty()) {
                rows.add(new Status(c.name(), State.STOPPED, -1, c.address(), -1));
                continue;
            }
            long p = pid.getAsLong();
            State state = c.answers() ? State.RUNNING : State.NOT_ANSWERING;
            rows.add(new Status(c.name(), state, p, c.address(), ProcessTable.rssBytes(p)));
        }
        return rows;
    }

    /**
     * Stops the TaskManager, JobManager, registry and Kafka, in that order (consumers before what
     * they consume, so nothing logs a storm of connection errors), then any stray process still
     * carrying this stack's marker, and withdraws the published endpoints.
     *
     * @return how many processes were stopped
     */
    public int down(boolean purge) {
        int stopped = 0;
        List<Component> reversed = new ArrayList<>(components);
        Collections.reverse(reversed);
        for (Component c : reversed) {
            List<Long> pids = new ArrayList<>();
            c.readPidFile()
                    .ifPresent(
                            p -> {
                                if (ProcessTable.isAlive(p)
                                        && ProcessTable.commandLine(p)
                                                .map(c::isOurs)
                                                .orElse(false)) {
                                    pids.add(p);
                                }
                            });
            for (long p : c.allPids()) {
                if (!pids.contains(p)) {
                    pids.add(p);
                }
            }
            for (long p : pids) {
                stopped += stop(c.name(), p, c.stopGrace());
            }
            try {
                c.deletePidFile();
            } catch (IOException e) {
                // nothing to do: a stale pid file is validated before use
            }
        }
        // Anything else with this stack's folder in its marker (say, a component of an older
        // version of this class), so that down really leaves nothing behind.
        String dirMarker = "-D" + Component.MARKER_DIR + "=" + layout.root();
        for (long p : ProcessTable.find(a -> a.contains(dirMarker))) {
            String name =
                    ProcessTable.commandLine(p)
                            .map(a -> ProcessTable.systemProperties(a).get(Component.MARKER))
                            .orElse(null);
            stopped += stop((name == null ? "process" : name) + " (stray)", p, STRAY_GRACE);
        }
        try {
            Endpoints.withdraw(home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (stopped == 0) {
            out.println("stack is not running");
        }
        if (purge) {
            deleteRecursively(layout.root());
            out.println("deleted " + layout.root());
        }
        return stopped;
    }

    private int stop(String name, long pid, Duration grace) {
        out.printf("%-18s stopping (pid %d) ... ", name, pid);
        out.flush();
        long t0 = System.nanoTime();
        boolean clean = ProcessTable.stop(pid, grace);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (clean) {
            out.printf(Locale.ROOT, "stopped in %.1f s%n", secs);
        } else {
            out.printf(
                    Locale.ROOT,
                    "killed after %.0f s (it did not exit on SIGTERM within %d s)%n",
                    secs,
                    grace.toSeconds());
        }
        return 1;
    }

    static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(
                    root,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                                throws IOException {
                            Files.delete(file);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path dir, IOException e)
                                throws IOException {
                            Files.delete(dir);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
