package dev.marquee.sql;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/marquee sql [-f FILE]}: the Flink SQL client with every topic already declared as a
 * table (the generated {@code jobs/sql/catalog.sql}), its queries running on the stack's Flink
 * cluster. Without {@code -f} it is interactive on this terminal; with {@code -f} it runs the file,
 * prints the results and exits non-zero if a statement failed.
 *
 * <p>{@code --generate-catalog} regenerates the catalog from the Avro schemas instead (run it after
 * changing a schema; {@code CatalogGeneratorTest} fails until then).
 */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Flink SQL client with every topic already declared as a table.",
            "Tables are named after topics with '.' replaced by '_' (rights_events,"
                    + " rights_events_dlq, ...); compacted topics are upsert tables keyed by"
                    + " kafka_key. Examples: jobs/sql/queries/*.sql."
        })
public final class SqlCommand implements Callable<Integer> {

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Run the statements of FILE, print their results and exit.")
    Path file;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers (default: the running stack's).")
    String bootstrapServers;

    @Option(
            names = "--registry-url",
            paramLabel = "URL",
            description =
                    "Confluent-compatible schema registry URL (default: the running stack's,"
                            + " .../apis/ccompat/v7).")
    String registryUrl;

    @Option(
            names = "--jobmanager",
            paramLabel = "HOST:PORT",
            description =
                    "REST address of the Flink cluster queries run on (default: the running"
                            + " stack's, 127.0.0.1:8081).")
    String jobmanager;

    @Option(
            names = "--generate-catalog",
            description =
                    "Regenerate jobs/sql/catalog.sql from the Avro schemas and exit (no client is"
                            + " started).")
    boolean generateCatalog;

    @Override
    public Integer call() {
        MarqueeHome home = MarqueeHome.detect();
        if (generateCatalog) {
            Path catalog = CatalogGenerator.catalogFile(home);
            try {
                boolean changed = CatalogGenerator.write(catalog);
                System.out.println((changed ? "wrote " : "up to date: ") + catalog);
            } catch (IOException e) {
                throw new UncheckedIOException("writing " + catalog + " failed", e);
            }
            return 0;
        }
        Endpoints endpoints =
                Endpoints.resolve(home)
                        .override(bootstrapServers, registryUrl, restUrl(jobmanager));
        SqlClientLauncher launcher = new SqlClientLauncher(home, endpoints, System.err);
        if (file != null) {
            return launcher.runFile(home.userFile(file), System.out);
        }
        return launcher.interactive();
    }

    /** {@code host:port} (or a full URL) as the REST URL; null when not given. */
    static String restUrl(String jobmanager) {
        if (jobmanager == null || jobmanager.isBlank()) {
            return null;
        }
        String s = jobmanager.strip();
        if (s.startsWith("http://") || s.startsWith("https://")) {
            return s;
        }
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new UserError("--jobmanager wants HOST:PORT, e.g. 127.0.0.1:8081, not " + s);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            if (port <= 0 || port > 65535) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UserError("--jobmanager wants HOST:PORT, e.g. 127.0.0.1:8081, not " + s);
        }
        return "http://" + s;
    }
}
