package dev.marquee.stack;

import dev.marquee.cli.MarqueeHome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension: one real schema registry (Apicurio, child process, free loopback port, empty
 * temporary database) per test JVM, shared by every test class that uses it.
 *
 * <p>Starting a registry costs a few seconds and ~250 MB, so it is started once, on first use, and
 * stopped (its data deleted) when the JVM exits; a watchdog also stops it if the JVM is killed.
 * Because it is shared, tests isolate themselves by subject name (e.g. a per-test topic prefix),
 * not by registry. Use it as
 *
 * <pre>{@code
 * @RegisterExtension static final RegistryExtension REGISTRY = new RegistryExtension();
 * ... new SchemaRegistryClient(RegistryConfig.of(REGISTRY.url())) ...
 * }</pre>
 *
 * or with {@code @ExtendWith(RegistryExtension.class)} and {@link #sharedUrl()}.
 */
public final class RegistryExtension implements BeforeAllCallback {
    private static RegistryServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server();
    }

    /** The Confluent-compatible API: {@code http://127.0.0.1:<port>/apis/ccompat/v7}. */
    public String url() {
        return server().url();
    }

    /** The same as {@link #url()}, for tests that registered the extension by class. */
    public static String sharedUrl() {
        return server().url();
    }

    /** The running shared registry, started on first call. */
    public static synchronized RegistryServer server() {
        if (server == null) {
            Path dir;
            try {
                dir = Files.createTempDirectory("marquee-registry-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            RegistryServer started = RegistryServer.start(MarqueeHome.detect(), dir, 0);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        started.close();
                                        try {
                                            LocalStack.deleteRecursively(dir);
                                        } catch (UncheckedIOException e) {
                                            // a temp folder left behind is harmless
                                        }
                                    },
                                    "registry-extension-shutdown"));
            server = started;
        }
        return server;
    }
}
