package dev.marquee.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code jobs submit [job...]} deploys jobs to a running Flink cluster through its REST API (upload
 * the shaded job jar once, then run each entry class with the stack's endpoints); {@code jobs list}
 * shows what runs there.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Deploy jobs to a running Flink cluster, or list them.",
        subcommands = {JobsCommand.Submit.class, JobsCommand.ListJobs.class})
public final class JobsCommand implements Runnable {

    /** Every job Marquee ships: name to entry class. */
    public static final Map<String, String> CATALOG = new LinkedHashMap<>();

    static {
        CATALOG.put("rights-intake", "dev.marquee.jobs.rightsintake.RightsIntakeJob");
        CATALOG.put("rights-lifecycle", "dev.marquee.jobs.rights.RightsLifecycleJob");
        CATALOG.put("playback-slo", "dev.marquee.jobs.slo.PlaybackSloJob");
        CATALOG.put("playback-compliance", "dev.marquee.jobs.compliance.PlaybackComplianceJob");
        CATALOG.put("metadata-normalization", "dev.marquee.jobs.metadata.MetadataNormalizationJob");
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(
            name = "submit",
            mixinStandardHelpOptions = true,
            description = "Submit jobs (default: all) to the Flink cluster.")
    static final class Submit implements Callable<Integer> {
        @Parameters(
                arity = "0..*",
                paramLabel = "JOB",
                description = "Job names: ${COMPLETION-CANDIDATES}")
        List<String> jobs = new ArrayList<>();

        @Mixin ClientOptions client = new ClientOptions();

        @Override
        public Integer call() throws Exception {
            List<String> names = jobs.isEmpty() ? List.copyOf(CATALOG.keySet()) : jobs;
            for (String name : names) {
                if (!CATALOG.containsKey(name)) {
                    throw new UserError(
                            "unknown job '"
                                    + name
                                    + "'; jobs: "
                                    + String.join(", ", CATALOG.keySet()));
                }
            }
            Endpoints endpoints = client.endpoints();
            MarqueeHome home = MarqueeHome.detect();
            Path jar = home.jobJar();
            if (!Files.isRegularFile(jar)) {
                throw new UserError("no job jar at " + jar + " (run: mvn -pl jobs -am package)");
            }
            String base = endpoints.flinkRestUrl();
            get(base + "/overview");
            System.err.printf(
                    "uploading %s (%d MB) to %s...%n",
                    jar.getFileName(), Files.size(jar) >> 20, base);
            String jarId = upload(base, jar);
            for (String name : names) {
                String args =
                        String.join(
                                " ",
                                "--bootstrap-servers",
                                endpoints.bootstrapServers(),
                                "--registry-url",
                                endpoints.registryUrl());
                String body =
                        JSON.createObjectNode()
                                .put("entryClass", CATALOG.get(name))
                                .put("programArgs", args)
                                .toString();
                JsonNode answer =
                        send(
                                HttpRequest.newBuilder(URI.create(base + "/jars/" + jarId + "/run"))
                                        .timeout(Duration.ofSeconds(120))
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body)));
                String jobId = answer.path("jobid").asText();
                System.out.println(
                        JSON.createObjectNode()
                                .put("job", name)
                                .put("jobId", jobId)
                                .put("web", base + "/#/job/running/" + jobId));
            }
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "Jobs on the Flink cluster, one JSON line each.")
    static final class ListJobs implements Callable<Integer> {
        @Mixin ClientOptions client = new ClientOptions();

        @Override
        public Integer call() {
            JsonNode answer = get(client.endpoints().flinkRestUrl() + "/jobs/overview");
            answer.path("jobs")
                    .forEach(
                            j ->
                                    System.out.println(
                                            JSON.createObjectNode()
                                                    .put("name", j.path("name").asText())
                                                    .put("jobId", j.path("jid").asText())
                                                    .put("state", j.path("state").asText())));
            return 0;
        }
    }

    static JsonNode get(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET());
    }

    private static String upload(String base, Path jar) throws IOException {
        String boundary = "marquee-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(
                ("--"
                                + boundary
                                + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                                + jar.getFileName()
                                + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                        .getBytes(StandardCharsets.UTF_8));
        body.write(Files.readAllBytes(jar));
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode answer =
                send(
                        HttpRequest.newBuilder(URI.create(base + "/jars/upload"))
                                .timeout(Duration.ofSeconds(60))
                                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
        String file = answer.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    private static JsonNode send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            HttpResponse<String> response = HTTP.send(built, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 300) {
                throw new UserError(
                        "Flink refused "
                                + built.uri().getPath()
                                + ": HTTP "
                                + response.statusCode()
                                + " "
                                + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UserError(
                    "no Flink cluster answers at "
                            + built.uri().getScheme()
                            + "://"
                            + built.uri().getAuthority()
                            + " (start one with `bin/marquee stack up`)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError("interrupted");
        }
    }
}
