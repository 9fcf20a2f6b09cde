package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The per-process classpaths that bin/runtime/* assemble with Maven. */
final class RuntimeLibs {
    private RuntimeLibs() {}

    /** {@code <lib>/*} for -cp, after checking the folder holds jars. */
    static String classpath(MarqueeHome home, String name) {
        Path lib = home.runtimeLib(name);
        boolean hasJars;
        try (Stream<Path> files = Files.list(lib)) {
            hasJars = files.anyMatch(f -> f.toString().endsWith(".jar"));
        } catch (IOException e) {
            hasJars = false;
        }
        if (!hasJars) {
            throw new UserError(
                    "the "
                            + name
                            + " runtime is not built: "
                            + lib
                            + " has no jars (run `bin/marquee setup` or `mvn install -DskipTests`"
                            + " at the project root)");
        }
        return lib + "/*";
    }
}
