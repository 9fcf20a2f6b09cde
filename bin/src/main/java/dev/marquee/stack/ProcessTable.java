package dev.marquee.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;

/**
 * What Linux's {@code /proc} says about processes and sockets, and how to stop a process.
 *
 * <p>The stack's processes outlive the command that started them, so a later {@code stack status}
 * or {@code stack down} cannot hold a {@link Process} object: it finds them again by their command
 * line (each carries a marker system property), measures them from {@code /proc/<pid>/status}, and
 * names whoever holds a port from {@code /proc/net/tcp}. Everything here is best effort and never
 * throws for a process that vanished mid-read: processes come and go while we look.
 *
 * <p>Linux is the platform this project runs on. Where there is no {@code /proc} (a developer's
 * macOS), processes are still found and stopped through {@link ProcessHandle}; only memory and port
 * owners are then unknown.
 */
public final class ProcessTable {
    private static final Path PROC = Path.of("/proc");
    private static final boolean HAS_PROC = Files.isDirectory(PROC.resolve("self"));

    private ProcessTable() {}

    /**
     * The arguments of a live process (argv[0] first), or empty if gone, a zombie or unreadable.
     */
    public static Optional<List<String>> commandLine(long pid) {
        if (!HAS_PROC) {
            return ProcessHandle.of(pid).flatMap(ProcessTable::fromHandle);
        }
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            if (raw.length == 0) {
                return Optional.empty(); // kernel thread or zombie
            }
            String all = new String(raw, StandardCharsets.UTF_8);
            if (all.endsWith("\0")) {
                all = all.substring(0, all.length() - 1);
            }
            return Optional.of(List.of(all.split("\0", -1)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Optional<List<String>> fromHandle(ProcessHandle handle) {
        ProcessHandle.Info info = handle.info();
        return info.command()
                .map(
                        command -> {
                            List<String> args = new ArrayList<>();
                            args.add(command);
                            args.addAll(List.of(info.arguments().orElse(new String[0])));
                            return args;
                        });
    }

    /**
     * Whether the process exists and is not a zombie. A zombie has exited but was not reaped by its
     * parent yet; {@link ProcessHandle#isAlive()} may still say yes for it, which would make {@code
     * stack down} wait the whole grace period for a process that is already gone.
     */
    public static boolean isAlive(long pid) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        if (!HAS_PROC) {
            return true;
        }
        try {
            String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
            // "pid (comm) S ..." where comm may itself contain spaces and parentheses.
            int close = stat.lastIndexOf(')');
            char state = close >= 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Resident set size in bytes (VmRSS), or -1 when unknown. */
    public static long rssBytes(long pid) {
        try {
            for (String line :
                    Files.readAllLines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(parts[0]) * 1024L; // always reported in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or not Linux
        }
        return -1;
    }

    /** Live processes (other than this JVM) whose command line matches. */
    public static List<Long> find(Predicate<List<String>> matcher) {
        List<Long> pids = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        if (!HAS_PROC) {
            ProcessHandle.allProcesses()
                    .filter(h -> h.pid() != self)
                    .filter(h -> commandLine(h.pid()).map(matcher::test).orElse(false))
                    .forEach(h -> pids.add(h.pid()));
            return pids;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid == self) {
                    continue;
                }
                Optional<List<String>> args = commandLine(pid);
                if (args.isPresent() && matcher.test(args.get()) && isAlive(pid)) {
                    pids.add(pid);
                }
            }
        } catch (IOException e) {
            // no /proc: nothing to find
        }
        return pids;
    }

    /**
     * Stops a process the way a service manager does: SIGTERM, so it can run its shutdown hooks
     * (Kafka flushes and closes its logs cleanly, Flink deregisters its TaskManager), then SIGKILL
     * if it is still there after {@code grace}.
     *
     * @return true if it exited on its own after SIGTERM (or was already gone), false if it had to
     *     be killed
     */
    public static boolean stop(long pid, Duration grace) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !isAlive(pid)) {
            return true;
        }
        handle.get().destroy();
        if (awaitExit(pid, grace)) {
            return true;
        }
        handle.get().destroyForcibly();
        awaitExit(pid, Duration.ofSeconds(10));
        return false;
    }

    /** Waits until the process is gone (or a zombie); true if it went within the timeout. */
    public static boolean awaitExit(long pid, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (isAlive(pid)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep(100);
        }
        return true;
    }

    /** One listening TCP socket and the inode that links it to a process's file descriptors. */
    record Listener(InetSocketAddress address, long inode) {}

    /** Every listening TCP socket on this machine (IPv4 and IPv6). */
    static List<Listener> listeners() {
        List<Listener> out = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC.resolve("net").resolve(table));
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || !f[3].equals("0A")) { // 0A = TCP_LISTEN
                    continue;
                }
                try {
                    String[] hostPort = f[1].split(":");
                    InetAddress host = InetAddress.getByAddress(procAddress(hostPort[0]));
                    int port = Integer.parseInt(hostPort[1], 16);
                    out.add(new Listener(new InetSocketAddress(host, port), Long.parseLong(f[9])));
                } catch (UnknownHostException | RuntimeException e) {
                    // a line we do not understand: skip it
                }
            }
        }
        return out;
    }

    /**
     * {@code /proc/net/tcp*} prints addresses as 32-bit words in host (little-endian) order:
     * 127.0.0.1 is {@code 0100007F}. Reverse each word's bytes to get network order.
     */
    private static byte[] procAddress(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = (word * 4 + i) * 2;
                bytes[word * 4 + (3 - i)] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        return bytes;
    }

    /** Socket inodes held open by each process we may look at, keyed by inode. */
    private static Map<Long, Long> socketOwners() {
        Map<Long, Long> owners = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path dir : dirs) {
                long pid;
                try {
                    pid = Long.parseLong(dir.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(dir.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            String target = Files.readSymbolicLink(fd).toString();
                            if (target.startsWith("socket:[")) {
                                owners.put(
                                        Long.parseLong(target.substring(8, target.length() - 1)),
                                        pid);
                            }
                        } catch (IOException | RuntimeException e) {
                            // fd closed meanwhile
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // process gone or not ours to inspect
                }
            }
        } catch (IOException e) {
            // no /proc
        }
        return owners;
    }

    /** The process listening on a TCP port (any address), if we may see it. */
    public static OptionalLong listenerPid(int port) {
        List<Listener> onPort =
                listeners().stream().filter(l -> l.address().getPort() == port).toList();
        if (onPort.isEmpty()) {
            return OptionalLong.empty();
        }
        Map<Long, Long> owners = socketOwners();
        for (Listener l : onPort) {
            Long pid = owners.get(l.inode());
            if (pid != null) {
                return OptionalLong.of(pid);
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The addresses a process listens on. Tests use it to prove that nothing of ours binds beyond
     * the loopback interface.
     */
    public static List<InetSocketAddress> listeningAddresses(long pid) {
        Map<Long, Long> owners = socketOwners();
        return listeners().stream()
                .filter(l -> Long.valueOf(pid).equals(owners.get(l.inode())))
                .map(Listener::address)
                .distinct()
                .toList();
    }

    /**
     * A short description of a process for error messages, e.g. {@code pid 123 (java ...
     * kafka.Kafka)} or {@code pid 456 (python3 -m http.server 8085)}: enough for a person to
     * recognise what holds a port.
     */
    public static String describe(long pid) {
        return commandLine(pid)
                .map(args -> "pid " + pid + " (" + summary(args) + ")")
                .orElse("pid " + pid);
    }

    static String summary(List<String> args) {
        String exe = Path.of(args.get(0)).getFileName().toString();
        if (exe.startsWith("java")) {
            for (int i = 1; i < args.size(); i++) {
                String a = args.get(i);
                if (a.equals("-jar") && i + 1 < args.size()) {
                    return exe + " ... -jar " + Path.of(args.get(i + 1)).getFileName();
                }
                if (a.equals("-cp") || a.equals("-classpath") || a.equals("--class-path")) {
                    i++; // skip the value
                } else if (!a.startsWith("-")) {
                    return exe + " ... " + a; // the main class
                }
            }
        }
        List<String> rest = args.subList(1, args.size());
        return abbreviate(exe + (rest.isEmpty() ? "" : " " + String.join(" ", rest)), 100);
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Marker arguments parsed back from a command line ("-Dk=v" pairs). */
    static Map<String, String> systemProperties(List<String> args) {
        Map<String, String> props = new HashMap<>();
        for (String a : args) {
            if (a.startsWith("-D") && a.contains("=")) {
                String[] kv = a.substring(2).split("=", 2);
                props.put(kv[0], kv[1]);
            }
        }
        return props;
    }
}
