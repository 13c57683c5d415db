package io.csi4j.driver;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus}) on 127.0.0.1: its own config and storage in a
 * directory of the test's, scraping every second; {@link #close()} kills it (the test's temp
 * directory takes the files). Queries go through its HTTP API.
 */
final class PrometheusServer implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/prometheus");
    static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    private final Process process;
    private final String url;
    private final Path log;

    private PrometheusServer(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /** Starts it scraping {@code target} (host:port) as job {@code csi4j}, with {@code rules} loaded; waits until ready. */
    static PrometheusServer start(Path dir, String target, Path rules) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            throw new AssertionError(BINARY + " is missing: apt-get install prometheus (as .ci/run does)");
        }
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: csi4j
                    static_configs:
                      - targets: ['%s']
                """.formatted(rules.toAbsolutePath(), target));
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Path log = dir.resolve("prometheus.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port,
                "--web.console.templates=" + dir, "--web.console.libraries=" + dir)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, log);
        try {
            server.awaitReady();
            return server;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            server.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("prometheus exited: " + Files.readString(log));
            }
            try {
                if (Scrapes.get(url + "/-/ready", null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("prometheus not ready within 30 s: " + Files.readString(log));
    }

    /** GET {@code path} of the API, parsed; fails unless its status is success. */
    Struct api(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = Scrapes.get(url + path, null);
        Struct.Builder body = Struct.newBuilder();
        JsonFormat.parser().merge(response.body(), body);
        if (!body.getFieldsOrThrow("status").getStringValue().equals("success")) {
            throw new AssertionError(path + ": " + response.body());
        }
        return body.getFieldsOrThrow("data").getStructValue();
    }

    /** An instant query's result vector. */
    List<Value> query(String promql) throws IOException, InterruptedException {
        Struct data = api("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        return data.getFieldsOrThrow("result").getListValue().getValuesList();
    }

    /** The value of a one-element result vector, or NaN while it has none. */
    double single(String promql) throws IOException, InterruptedException {
        List<Value> result = query(promql);
        if (result.size() != 1) {
            return Double.NaN;
        }
        ListValue sample = result.getFirst().getStructValue().getFieldsOrThrow("value").getListValue();
        return Double.parseDouble(sample.getValues(1).getStringValue());
    }

    String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
