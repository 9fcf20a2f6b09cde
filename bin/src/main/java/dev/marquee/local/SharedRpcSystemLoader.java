package dev.marquee.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.util.FileUtils;

/**
 * Loads Flink's RPC system once per JVM and hands every MiniCluster the same one.
 *
 * <p>Flink's own loader gives each cluster a fresh class loader over a 21 MB jar it extracts to a
 * temp folder, so that Pekko and Scala stay off the user's classpath. A Flink process starts one
 * cluster in its life, but this CLI's JVM can start many: {@code marquee bench} a dozen. Each fresh
 * loader meant every Pekko, Scala and config class loaded again and compiled again by the JIT, on
 * the same two cores as the job being timed: the compiler was still busy for most of a core through
 * a measured run, compiling the new cluster's copy of code the previous cluster had already
 * compiled. Shared, the RPC classes load and compile once, as in a long-lived JobManager or
 * TaskManager.
 *
 * <p>Found by {@link RpcSystem#load} through {@code META-INF/services}, ahead of Flink's loader
 * (lower priority value first), which it delegates the one real load to. A cluster's {@code
 * close()} of its RPC system is ignored. The shared one is never closed: closing it closes its
 * class loader, and a cluster still stopping in another shutdown hook could then fail to load a
 * class. Flink's loader extracts its jar into a folder made for it here, which a shutdown hook
 * deletes, so no run leaves 21 MB behind in the temp folder (the open jar stays readable until the
 * JVM is gone).
 */
public final class SharedRpcSystemLoader implements RpcSystemLoader {
    private static RpcSystem shared;

    @Override
    public int getLoadPriority() {
        return -1;
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        RpcSystem system = sharedSystem(config);
        return (RpcSystem)
                Proxy.newProxyInstance(
                        RpcSystem.class.getClassLoader(),
                        new Class<?>[] {RpcSystem.class},
                        (proxy, method, args) -> {
                            if (isClose(method)) {
                                return null;
                            }
                            try {
                                return method.invoke(system, args);
                            } catch (InvocationTargetException e) {
                                throw e.getCause();
                            }
                        });
    }

    private static boolean isClose(Method method) {
        return method.getName().equals("close") && method.getParameterCount() == 0;
    }

    private static synchronized RpcSystem sharedSystem(Configuration config) {
        if (shared == null) {
            Path jarFolder;
            try {
                jarFolder = Files.createTempDirectory("marquee-flink-rpc-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot make a folder for Flink's RPC jar", e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> FileUtils.deleteDirectoryQuietly(jarFolder.toFile()),
                                    "delete-shared-rpc-jar"));
            Configuration withFolder = new Configuration(config);
            withFolder.set(CoreOptions.TMP_DIRS, jarFolder.toString());
            shared = flinkLoader().loadRpcSystem(withFolder);
        }
        return shared;
    }

    /** The loader Flink would have used: the first of the others by priority. */
    private static RpcSystemLoader flinkLoader() {
        List<RpcSystemLoader> others = new ArrayList<>();
        for (RpcSystemLoader loader : ServiceLoader.load(RpcSystemLoader.class)) {
            if (!(loader instanceof SharedRpcSystemLoader)) {
                others.add(loader);
            }
        }
        return others.stream()
                .min(Comparator.comparingInt(RpcSystemLoader::getLoadPriority))
                .orElseThrow(
                        () -> new IllegalStateException("no Flink RPC system on the classpath"));
    }
}
