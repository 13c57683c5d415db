package io.csi4j.driver;

import io.csi4j.testing.DriverProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test side of the metrics endpoint: where a driver serves it (from its log line), HTTP GETs with
 * the JDK's client, and a small parser of the Prometheus text format (samples: name, labels, value).
 */
final class Scrapes {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})? (\\S+)(?: \\S+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private Scrapes() {}

    /** One sample of an exposition. */
    record Sample(String name, Map<String, String> labels, double value) {}

    /** A parsed exposition. */
    record Exposition(List<Sample> samples, List<String> typeLines) {

        /** The sum of the samples named {@code name} whose labels include {@code labels} (0 when none). */
        double value(String name, String... labels) {
            return samples.stream().filter(s -> s.name().equals(name) && has(s, labels)).mapToDouble(Sample::value).sum();
        }

        boolean has(String name) {
            return samples.stream().anyMatch(s -> s.name().equals(name));
        }

        private static boolean has(Sample sample, String[] labels) {
            for (int i = 0; i < labels.length; i += 2) {
                if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The base URL of the metrics endpoint the driver logged (started with {@code --metrics-address ...:0}). */
    static String baseUrl(DriverProcess driver) {
        String line = Drivers.awaitLine(driver, l -> l.contains("metrics, /healthz and /readyz on http://"));
        return line.substring(line.indexOf("http://")).strip();
    }

    static HttpResponse<String> get(String url, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static Exposition scrape(String baseUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = get(baseUrl + "/metrics", "text/plain; version=0.0.4");
        if (response.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** Parses the text format; a line it cannot read fails the test. */
    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("# HELP") || line.startsWith("# UNIT") || line.equals("# EOF")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                types.add(line.substring(7));
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
                    end = l.end();
                }
                if (end != m.group(2).length()) {
                    throw new AssertionError("bad labels in: " + line);
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3).replace("+Inf", "Infinity"))));
        }
        return new Exposition(samples, types);
    }
}
