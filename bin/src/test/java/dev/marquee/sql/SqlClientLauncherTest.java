package dev.marquee.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.marquee.cli.Endpoints;
import dev.marquee.cli.MarqueeHome;
import dev.marquee.cli.UserError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the launcher writes and decides before (and after) a SQL client runs, without starting one:
 * the client's configuration, its command line, how failures are recognised, and that a stack that
 * is down is one sentence.
 */
class SqlClientLauncherTest {
    @TempDir Path dir;

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private SqlClientLauncher launcher(Endpoints endpoints) {
        return new SqlClientLauncher(
                new MarqueeHome(dir), endpoints, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void clientConfigSubmitsToTheClusterAndBindsTheGatewayToLoopback() throws Exception {
        Path conf =
                launcher(new Endpoints("127.0.0.1:9092", "http://r", "http://127.0.0.1:18081"))
                        .writeConf(dir.resolve("conf"));
        String config = Files.readString(conf.resolve("config.yaml"));
        assertThat(config)
                .contains("execution.target: remote")
                .contains("rest.address: 127.0.0.1")
                .contains("rest.port: 18081")
                .contains("sql-gateway.endpoint.rest.bind-address: 127.0.0.1")
                .contains("restart-strategy.type: none")
                .doesNotContain("0.0.0.0");
        assertThat(Files.readString(conf.resolve("log4j2.properties")))
                .contains(dir.resolve(".marquee/logs/sql-client.log").toString());
    }

    @Test
    void initFileIsTheCatalogWithTheStacksAddresses() throws Exception {
        Path init =
                launcher(
                                new Endpoints(
                                        "127.0.0.1:19092",
                                        "http://127.0.0.1:18085/apis/ccompat/v7",
                                        "http://127.0.0.1:8081"))
                        .writeInit(dir.resolve("sql"));
        String text = Files.readString(init, StandardCharsets.UTF_8);
        assertThat(text)
                .contains("'properties.bootstrap.servers' = '127.0.0.1:19092'")
                .contains("'value.avro-confluent.url' = 'http://127.0.0.1:18085/apis/ccompat/v7'")
                .doesNotContain("${");
    }

    @Test
    void commandLineRunsTheEmbeddedClientWithTheCatalogAndEveryConnectorJar() throws Exception {
        MarqueeHome home = new MarqueeHome(dir);
        Files.createDirectories(home.sqlConnectors());
        Files.writeString(home.sqlConnectors().resolve("flink-sql-connector-kafka-x.jar"), "");
        Files.writeString(
                home.sqlConnectors().resolve("flink-sql-avro-confluent-registry-x.jar"), "");
        SqlClientLauncher launcher =
                launcher(new Endpoints("127.0.0.1:9092", "http://r", "http://127.0.0.1:8081"));
        ProcessBuilder pb =
                launcher.processBuilder(
                        dir.resolve("init.sql"),
                        dir.resolve("conf"),
                        dir.resolve("q.sql"),
                        dir.resolve("history"),
                        false);
        List<String> cmd = pb.command();
        assertThat(cmd)
                .contains(SqlClientLauncher.MAIN_CLASS, "embedded", "-i", "-f", "-j")
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                .contains(home.runtimeLib("sql").resolve("*").toString());
        assertThat(cmd.stream().filter("-j"::equals)).hasSize(2);
        assertThat(cmd.get(cmd.indexOf("-i") + 1)).isEqualTo(dir.resolve("init.sql").toString());
        assertThat(pb.environment())
                .containsEntry("FLINK_CONF_DIR", dir.resolve("conf").toString());
    }

    @Test
    void historyKeepsWhatTheUserTypedButNotTheCatalog() throws Exception {
        String init = "-- header\nSET 'a' = 'b';\n\n-- t\nCREATE TABLE `t` (\n  x INT\n);\n";
        Path history = dir.resolve("history");
        Files.writeString(
                history,
                String.join(
                        "\n",
                        "1:SHOW TABLES;",
                        "2:-- header\\nSET 'a' = 'b';",
                        "3:-- t\\nCREATE TABLE `t` (\\n  x INT\\n);",
                        "4:SELECT 1;",
                        ""));
        SqlClientLauncher.pruneHistory(history, init);
        assertThat(Files.readAllLines(history)).containsExactly("1:SHOW TABLES;", "4:SELECT 1;");
    }

    @Test
    void errorsAreRecognisedThroughTheClientsColourCodes() {
        String line = "\u001B[31;1m[ERROR] Could not execute SQL statement. Reason:\u001B[0m";
        String plain = SqlClientLauncher.stripAnsi(line);
        assertThat(plain).isEqualTo("[ERROR] Could not execute SQL statement. Reason:");
        assertThat(SqlClientLauncher.isError(plain)).isTrue();
        assertThat(SqlClientLauncher.isError("Flink SQL> [ERROR] Could not execute")).isTrue();
        assertThat(SqlClientLauncher.isError("| r-1 | [ERROR] in a value |")).isFalse();
        assertThat(SqlClientLauncher.isError("[INFO] Execute statement succeeded.")).isFalse();
    }

    @Test
    void noClusterIsOneSentenceNamingTheAddressAndTheFix() throws Exception {
        String url = "http://127.0.0.1:" + closedPort();
        assertThatThrownBy(
                        () ->
                                launcher(new Endpoints("127.0.0.1:1", "http://127.0.0.1:1", url))
                                        .checkStack())
                .isInstanceOf(UserError.class)
                .hasMessage("no Flink cluster at " + url + ": run bin/marquee stack up");
    }

    @Test
    void unreachableRegistryThenUnreachableKafkaAreOneSentenceEach() throws Exception {
        com.sun.net.httpserver.HttpServer http =
                com.sun.net.httpserver.HttpServer.create(
                        new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext(
                "/",
                exchange -> {
                    byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                    exchange.close();
                });
        http.start();
        try {
            String up = "http://127.0.0.1:" + http.getAddress().getPort();
            String down = "http://127.0.0.1:" + closedPort();
            assertThatThrownBy(() -> launcher(new Endpoints("127.0.0.1:1", down, up)).checkStack())
                    .isInstanceOf(UserError.class)
                    .hasMessage(
                            "the schema registry is unreachable at "
                                    + down
                                    + ": run bin/marquee stack up");
            String kafka = "127.0.0.1:" + closedPort();
            assertThatThrownBy(() -> launcher(new Endpoints(kafka, up, up)).checkStack())
                    .isInstanceOf(UserError.class)
                    .hasMessage("Kafka is unreachable at " + kafka + ": run bin/marquee stack up");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void missingScriptIsOneSentence() {
        Path missing = dir.resolve("nope.sql");
        assertThatThrownBy(
                        () ->
                                launcher(Endpoints.defaults())
                                        .runFile(
                                                missing,
                                                new PrintStream(new ByteArrayOutputStream())))
                .isInstanceOf(UserError.class)
                .hasMessage("no such SQL file: " + missing);
    }

    @Test
    void jobmanagerOptionIsHostAndPort() {
        assertThat(SqlCommand.restUrl("127.0.0.1:18081")).isEqualTo("http://127.0.0.1:18081");
        assertThat(SqlCommand.restUrl("http://127.0.0.1:8081")).isEqualTo("http://127.0.0.1:8081");
        assertThat(SqlCommand.restUrl(null)).isNull();
        assertThatThrownBy(() -> SqlCommand.restUrl("127.0.0.1"))
                .isInstanceOf(UserError.class)
                .hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> SqlCommand.restUrl("host:99999")).isInstanceOf(UserError.class);
    }
}
