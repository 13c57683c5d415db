package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.google.protobuf.util.JsonFormat;
import csi.v1.CreateVolumeRequest;
import io.csi4j.testing.DriverProcess;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus scrapes a real driver: the counters and a histogram quantile it computes are the
 * calls made; the alerting rules load and evaluate, and the driver-down alert goes pending when the
 * driver dies; every dashboard expression evaluates and names only metrics the driver exports.
 */
class MetricsPrometheusIT {

    static final Path MONITORING = Path.of("").toAbsolutePath().getParent().resolve("deploy/monitoring");
    static final Path RULES = MONITORING.resolve("csi4j-alerts.yaml");
    static final Path DASHBOARD = MONITORING.resolve("csi4j-dashboard.json");
    private static final Pattern METRIC = Pattern.compile("\\b((?:csi4j|process|jvm)_[a-zA-Z0-9_]+)");

    @TempDir
    static Path dir;

    @RegisterExtension
    final NodeWorkspace node = new NodeWorkspace(() -> dir, () -> Drivers.dataDir(dir));

    @Test
    void prometheusScrapesTheCallsAndComputesTheirQuantileAndTheRulesAndDashboardWorkFromIt() throws Exception {
        Path promDir = Files.createTempDirectory(dir, "prometheus-");
        DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0");
        try {
            String driverUrl = Scrapes.baseUrl(driver);
            for (int i = 0; i < 5; i++) {
                driver.controller().createVolume(Drivers.minimalCreate("prom-" + i).build());
            }
            for (int i = 0; i < 2; i++) {
                catchThrowableOfType(StatusRuntimeException.class,
                        () -> driver.controller().createVolume(CreateVolumeRequest.newBuilder().build()));
            }
            // A stage runs the tools (mkfs, e2fsck) and counts as staged while it lasts.
            String staged = NodeCalls.create(driver.controller(), "prom-staged", 16 << 20, NodeCalls.mount("ext4"), Map.of());
            Path staging = Files.createDirectories(node.dir().resolve("staging"));
            NodeCalls.stage(driver.node(), staged, staging, NodeCalls.mount("ext4"));
            Scrapes.Exposition whileStaged = Scrapes.scrape(driverUrl);
            NodeCalls.unstage(driver.node(), staged, staging);
            Scrapes.Exposition scraped = Scrapes.scrape(driverUrl);

            assertThat(whileStaged.value("csi4j_node_volumes_staged")).isEqualTo(1);
            assertThat(scraped.value("csi4j_node_volumes_staged")).isZero();
            assertThat(scraped.value("csi4j_tool_duration_seconds_count", "tool", "mkfs.ext4", "outcome", "ok")).isEqualTo(1);
            assertThat(scraped.value("csi4j_loop_attach_failures_total")).isZero();
            assertThat(scraped.value("csi4j_volumes", "kind", "image")).isEqualTo(6);

            try (PrometheusServer prometheus = PrometheusServer.start(promDir, driverUrl.substring("http://".length()), RULES)) {
                String ok = "csi4j_rpc_total{job=\"csi4j\",method=\"CreateVolume\",code=\"OK\"}";
                awaitValue(prometheus, ok, 6); // five, and the one staged
                assertThat(prometheus.single("csi4j_rpc_total{method=\"CreateVolume\",code=\"INVALID_ARGUMENT\"}"))
                        .isEqualTo(2);
                assertThat(prometheus.single("histogram_quantile(0.5, sum by (le) (csi4j_rpc_duration_seconds_bucket"
                        + "{method=\"CreateVolume\",code=\"OK\"}))"))
                        .isCloseTo(median(scraped, "CreateVolume", "OK"), org.assertj.core.data.Offset.offset(1e-9));

                awaitValue(prometheus, "count_over_time(up{job=\"csi4j\"}[1m]) >= bool 3", 1); // rates need samples
                checkDashboard(prometheus, Scrapes.scrape(driverUrl));
                checkRules(prometheus);

                driver.kill();
                awaitAlert(prometheus, "Csi4jDriverDown", "pending");
            }
        } finally {
            driver.kill();
        }
    }

    @Test
    void promtoolAcceptsTheAlertingRules() throws Exception {
        Process check = new ProcessBuilder(PrometheusServer.PROMTOOL.toString(), "check", "rules", RULES.toString())
                .redirectErrorStream(true).start();
        String output = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(check.exitValue()).as(output).isZero();
        assertThat(output).contains("SUCCESS: 4 rules found");
    }

    /** Every panel and variable query parses, evaluates, and names only metrics of a real scrape. */
    private static void checkDashboard(PrometheusServer prometheus, Scrapes.Exposition scraped) throws Exception {
        Struct.Builder dashboard = Struct.newBuilder();
        JsonFormat.parser().merge(Files.readString(DASHBOARD), dashboard); // strict JSON
        List<String> expressions = new ArrayList<>();
        collect(Value.newBuilder().setStructValue(dashboard).build(), expressions);
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(12);
        Set<String> exported = scraped.samples().stream().map(Scrapes.Sample::name).collect(Collectors.toSet());
        for (String type : scraped.typeLines()) { // families without samples yet (no tool run, no ABORTED)
            String[] nameAndType = type.split(" ");
            switch (nameAndType[1]) {
                case "counter" -> exported.add(nameAndType[0] + "_total");
                case "histogram" -> exported.addAll(List.of(nameAndType[0] + "_bucket", nameAndType[0] + "_sum",
                        nameAndType[0] + "_count"));
                default -> exported.add(nameAndType[0]);
            }
        }
        for (String expression : expressions) {
            Set<String> names = new TreeSet<>();
            Matcher m = METRIC.matcher(expression);
            while (m.find()) {
                names.add(m.group(1));
            }
            assertThat(names).as("metrics named in %s", expression).isNotEmpty();
            assertThat(exported).as("the driver's samples, for %s", expression).containsAll(names);
            if (expression.startsWith("label_values(")) {
                continue; // a Grafana function: checked for its metric above
            }
            String promql = expression.replace("$__rate_interval", "1m").replace("$instance", ".*");
            List<Value> result = prometheus.query(promql); // fails on a syntax error
            if (!promql.contains("abnormal") && !promql.contains("tool_duration") && !promql.contains("aborted")) {
                assertThat(result).as("series of %s", promql).isNotEmpty();
            }
        }
    }

    private static void collect(Value value, List<String> expressions) {
        switch (value.getKindCase()) {
            case STRUCT_VALUE -> value.getStructValue().getFieldsMap().forEach((key, child) -> {
                if ((key.equals("expr") || key.equals("definition")) && child.hasStringValue()) {
                    expressions.add(child.getStringValue());
                } else {
                    collect(child, expressions);
                }
            });
            case LIST_VALUE -> value.getListValue().getValuesList().forEach(child -> collect(child, expressions));
            default -> { }
        }
    }

    /** All four rules loaded and evaluated without error. */
    private static void checkRules(PrometheusServer prometheus) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            Struct data = prometheus.api("/api/v1/rules");
            List<String> healthy = new ArrayList<>();
            for (Value group : data.getFieldsOrThrow("groups").getListValue().getValuesList()) {
                for (Value rule : group.getStructValue().getFieldsOrThrow("rules").getListValue().getValuesList()) {
                    Struct r = rule.getStructValue();
                    if (r.getFieldsOrThrow("health").getStringValue().equals("ok")) {
                        healthy.add(r.getFieldsOrThrow("name").getStringValue());
                    }
                }
            }
            if (healthy.size() == 4 || System.nanoTime() > deadline) {
                assertThat(healthy).containsExactlyInAnyOrder("Csi4jDriverDown", "Csi4jHighErrorRatio",
                        "Csi4jDataDirectoryAlmostFull", "Csi4jAbnormalVolumes");
                return;
            }
            Thread.sleep(250);
        }
    }

    private static void awaitAlert(PrometheusServer prometheus, String name, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            for (Value alert : prometheus.api("/api/v1/alerts").getFieldsOrThrow("alerts").getListValue().getValuesList()) {
                Struct a = alert.getStructValue();
                if (a.getFieldsOrThrow("labels").getStructValue().getFieldsOrThrow("alertname").getStringValue().equals(name)
                        && a.getFieldsOrThrow("state").getStringValue().equals(state)) {
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("alert " + name + " never " + state + "; prometheus log:\n" + prometheus.log());
    }

    private static void awaitValue(PrometheusServer prometheus, String promql, double expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        double last = Double.NaN;
        while (System.nanoTime() < deadline) {
            last = prometheus.single(promql);
            if (last == expected) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(promql + " was " + last + ", not " + expected + "; log:\n" + prometheus.log());
    }

    /** The median as Prometheus interpolates it inside the bucket that holds it, from the driver's own buckets. */
    private static double median(Scrapes.Exposition scraped, String method, String code) {
        List<Scrapes.Sample> buckets = scraped.samples().stream()
                .filter(s -> s.name().equals("csi4j_rpc_duration_seconds_bucket")
                        && method.equals(s.labels().get("method")) && code.equals(s.labels().get("code")))
                .sorted(java.util.Comparator.comparingDouble(s -> bound(s.labels().get("le"))))
                .toList();
        double count = buckets.getLast().value();
        double rank = 0.5 * count;
        double lower = 0;
        double below = 0;
        for (Scrapes.Sample bucket : buckets) {
            double upper = bound(bucket.labels().get("le"));
            if (bucket.value() >= rank) {
                return lower + (upper - lower) * (rank - below) / (bucket.value() - below);
            }
            lower = upper;
            below = bucket.value();
        }
        throw new AssertionError("no bucket holds the median");
    }

    private static double bound(String le) {
        return le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
    }
}
