package dev.marquee.stack;

import dev.marquee.cli.UserError;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which {@code java} executable runs each child process.
 *
 * <p>Kafka and Flink run on the same Java as the CLI (17+). Apicurio Registry 3.3.3 is compiled for
 * Java 21, while the project (and Debian 12's packaged JDK) is on 17, so the registry needs a
 * second, newer JDK installed beside it; this class finds one instead of asking the user to switch
 * the whole project's Java.
 */
public final class JavaRuntime {
    private static final Pattern VERSION = Pattern.compile("^JAVA_VERSION=\"(\\d+)[^\"]*\"");

    private JavaRuntime() {}

    /** The java launcher of the JVM running this code. */
    public static Path current() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /**
     * A java launcher whose feature version is at least {@code feature}: {@code JAVA<feature>_HOME}
     * (e.g. JAVA21_HOME) if set, else the running JVM, else the newest JDK under /usr/lib/jvm.
     *
     * @throws UserError naming what to install when there is none
     */
    public static Path atLeast(int feature, String whoNeedsIt) {
        return atLeast(
                feature,
                whoNeedsIt,
                System.getenv("JAVA" + feature + "_HOME"),
                Runtime.version().feature(),
                Path.of("/usr/lib/jvm"));
    }

    /** {@link #atLeast(int, String)} with its inputs spelled out, for tests. */
    static Path atLeast(int feature, String whoNeedsIt, String fromEnv, int running, Path jvmDir) {
        String envName = "JAVA" + feature + "_HOME";
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path home = Path.of(fromEnv);
            Path java = home.resolve("bin/java");
            if (!Files.isExecutable(java)) {
                throw new UserError(envName + "=" + fromEnv + " has no bin/java");
            }
            int version = featureVersion(home).orElse(feature); // trust the user if unknown
            if (version < feature) {
                throw new UserError(
                        envName
                                + "="
                                + fromEnv
                                + " is Java "
                                + version
                                + " but "
                                + whoNeedsIt
                                + " needs Java "
                                + feature
                                + " or newer");
            }
            return java;
        }
        if (running >= feature) {
            return current();
        }
        List<Path> homes = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(jvmDir)) {
            for (Path dir : dirs) {
                if (Files.isExecutable(dir.resolve("bin/java"))
                        && featureVersion(dir).orElse(0) >= feature) {
                    homes.add(dir);
                }
            }
        } catch (IOException e) {
            // no /usr/lib/jvm: fall through to the error
        }
        return homes.stream()
                .max(
                        Comparator.comparingInt((Path h) -> featureVersion(h).orElse(0))
                                .thenComparing(Path::toString))
                .map(h -> h.resolve("bin/java"))
                .orElseThrow(
                        () ->
                                new UserError(
                                        whoNeedsIt
                                                + " needs Java "
                                                + feature
                                                + " or newer and none was found (looked at "
                                                + envName
                                                + ", the running Java "
                                                + running
                                                + " and "
                                                + jvmDir
                                                + "/*): install a JDK "
                                                + feature
                                                + "+ such as Eclipse Temurin 21 or 25 (apt package"
                                                + " temurin-21-jdk from packages.adoptium.net) or"
                                                + " point "
                                                + envName
                                                + " at one"));
    }

    /** The feature version from a JDK's {@code release} file (JAVA_VERSION="25.0.3" gives 25). */
    static Optional<Integer> featureVersion(Path javaHome) {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                Matcher m = VERSION.matcher(line);
                if (m.find()) {
                    int major = Integer.parseInt(m.group(1));
                    if (major == 1) { // "1.8.0_402"
                        return Optional.of(8);
                    }
                    return Optional.of(major);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no release file
        }
        return Optional.empty();
    }
}
