package io.csi4j.driver;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code csi4j metrics}: a person's view of a driver's {@code /metrics}: its version, volumes,
 * room, node figures and, per RPC, how many calls ended how and how long they took.
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Show a driver's key figures from its /metrics endpoint (serve --metrics-address).")
final class MetricsCommand implements Callable<Integer> {

    /** Where {@code serve --metrics-address 9809} serves; the deployment's convention. */
    static final String DEFAULT_URL = "http://127.0.0.1:9809/metrics";

    @Spec
    CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL",
            description = "The driver's metrics URL (default: $CSI4J_METRICS_URL, else " + DEFAULT_URL + ").")
    String url;

    @Override
    public Integer call() throws IOException, InterruptedException {
        String target = url != null ? url : System.getenv().getOrDefault("CSI4J_METRICS_URL", DEFAULT_URL);
        URI uri;
        try {
            uri = URI.create(target.contains("://") ? target : "http://" + target);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url: not a URL: '" + target + "'");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            uri = uri.resolve("/metrics");
        }
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .header("Accept", "text/plain; version=0.0.4").build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("cannot reach " + uri + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        if (response.statusCode() != 200) {
            throw new IOException(uri + " answered HTTP " + response.statusCode());
        }
        print(MetricsText.parse(response.body()), spec.commandLine().getOut());
        return 0;
    }

    static void print(MetricsText m, PrintWriter out) {
        m.named("csi4j_build_info").stream().findFirst().ifPresent(info -> out.printf("%-12s %s %s%n", "driver",
                info.labels().get("driver"), info.labels().get("version")));
        line(out, "volumes", byLabel(m, "csi4j_volumes", "kind"));
        line(out, "snapshots", byLabel(m, "csi4j_snapshots", "kind"));
        if (!Double.isNaN(m.sum("csi4j_volume_promised_bytes"))) {
            out.printf("%-12s %s promised, %s of it written%n", "room", bytes(m.sum("csi4j_volume_promised_bytes")),
                    bytes(m.sum("csi4j_volume_written_bytes")));
        }
        double size = m.sum("csi4j_data_size_bytes");
        if (!Double.isNaN(size) && size > 0) {
            double available = m.sum("csi4j_data_available_bytes");
            out.printf("%-12s %s available of %s (%.0f %% used)%n", "data dir", bytes(available), bytes(size),
                    100 * (1 - available / size));
        }
        if (!Double.isNaN(m.sum("csi4j_node_volumes_staged"))) {
            out.printf("%-12s %.0f staged, %.0f published%n", "node", m.sum("csi4j_node_volumes_staged"),
                    m.sum("csi4j_node_volumes_published"));
        }
        String abnormal = byLabel(m, "csi4j_volumes_abnormal", "reason");
        if (abnormal != null) {
            out.printf("%-12s %s%n", "abnormal", abnormal.matches("(\\S+ 0(, )?)*") ? "none" : abnormal);
        }
        calls(m, out);
    }

    /** Per method: calls, those not OK (by code), mean and the p99's bucket bound. */
    private static void calls(MetricsText m, PrintWriter out) {
        Map<String, Map<String, Double>> byMethod = new TreeMap<>();
        for (MetricsText.Sample s : m.named("csi4j_rpc_total")) {
            byMethod.computeIfAbsent(s.labels().get("method"), k -> new TreeMap<>()).merge(s.labels().get("code"), s.value(), Double::sum);
        }
        if (byMethod.isEmpty()) {
            out.println("calls        none yet");
            return;
        }
        out.printf("%n%-28s %8s %8s %10s %10s  %s%n", "METHOD", "CALLS", "NOT OK", "MEAN", "P99 <=", "CODES");
        byMethod.forEach((method, codes) -> {
            double calls = codes.values().stream().mapToDouble(Double::doubleValue).sum();
            double notOk = calls - codes.getOrDefault("OK", 0.0);
            double sum = m.named("csi4j_rpc_duration_seconds_sum").stream()
                    .filter(s -> method.equals(s.labels().get("method"))).mapToDouble(MetricsText.Sample::value).sum();
            out.printf("%-28s %8.0f %8.0f %10s %10s  %s%n", method, calls, notOk, seconds(sum / calls),
                    seconds(p99(m, method)), codes.entrySet().stream()
                            .map(e -> e.getKey() + " " + String.format("%.0f", e.getValue())).collect(Collectors.joining(", ")));
        });
    }

    /** The upper bound of the bucket that holds the 99th percentile of the method's calls. */
    private static double p99(MetricsText m, String method) {
        Map<Double, Double> buckets = new TreeMap<>();
        for (MetricsText.Sample s : m.named("csi4j_rpc_duration_seconds_bucket")) {
            if (method.equals(s.labels().get("method"))) {
                String le = s.labels().get("le");
                buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), s.value(), Double::sum);
            }
        }
        double total = buckets.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= 0.99 * total) {
                return bucket.getKey();
            }
        }
        return Double.NaN;
    }

    private static String byLabel(MetricsText m, String name, String label) {
        List<MetricsText.Sample> samples = m.named(name);
        if (samples.isEmpty()) {
            return null;
        }
        return samples.stream().sorted(Comparator.comparing(s -> s.labels().get(label)))
                .map(s -> s.labels().get(label) + " " + String.format("%.0f", s.value())).collect(Collectors.joining(", "));
    }

    private static void line(PrintWriter out, String what, String text) {
        if (text != null) {
            out.printf("%-12s %s%n", what, text);
        }
    }

    static String seconds(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        if (Double.isInfinite(value)) {
            return "+Inf";
        }
        return value < 1 ? String.format("%.1f ms", value * 1000) : String.format("%.2f s", value);
    }

    static String bytes(double value) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? String.format("%.0f B", value) : String.format("%.1f %s", value, units[unit]);
    }
}
