package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.ControllerGetVolumeRequest;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.ProbeRequest;
import io.csi4j.testing.DriverProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics endpoint of a real driver, scraped over HTTP and parsed: counters move by exactly the calls made. */
class MetricsEndpointTest {

    @TempDir
    Path dir;

    @Test
    void callsAreCountedAndTimedByMethodAndTheCodeTheCallerGot() throws Exception {
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            Scrapes.Exposition before = Scrapes.scrape(url);

            for (int i = 0; i < 3; i++) {
                driver.controller().createVolume(Drivers.minimalCreate("metrics-" + i).build());
            }
            for (int i = 0; i < 2; i++) {
                var refused = catchThrowableOfType(StatusRuntimeException.class,
                        () -> driver.controller().createVolume(CreateVolumeRequest.newBuilder().build()));
                assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            }
            var missing = catchThrowableOfType(StatusRuntimeException.class, () -> driver.controller()
                    .controllerGetVolume(ControllerGetVolumeRequest.newBuilder().setVolumeId("l1.nope").build()));
            driver.identity().probe(ProbeRequest.getDefaultInstance());
            Scrapes.Exposition after = Scrapes.scrape(url);

            String notFound = missing.getStatus().getCode().name();
            assertThat(delta(before, after, "csi4j_rpc_total", "method", "CreateVolume", "code", "OK")).isEqualTo(3);
            assertThat(delta(before, after, "csi4j_rpc_total", "method", "CreateVolume", "code", "INVALID_ARGUMENT"))
                    .isEqualTo(2);
            assertThat(delta(before, after, "csi4j_rpc_total", "method", "ControllerGetVolume", "code", notFound))
                    .isEqualTo(1);
            assertThat(delta(before, after, "csi4j_rpc_total", "method", "Probe", "code", "OK")).isEqualTo(1);
            assertThat(delta(before, after, "csi4j_rpc_total", "method", "DeleteVolume")).isZero();
            assertThat(delta(before, after, "csi4j_rpc_duration_seconds_count", "method", "CreateVolume", "code", "OK"))
                    .isEqualTo(3);
            assertThat(delta(before, after, "csi4j_rpc_duration_seconds_bucket", "method", "CreateVolume", "code", "OK",
                    "le", "+Inf")).isEqualTo(3);
            assertThat(after.value("csi4j_rpc_duration_seconds_sum", "method", "CreateVolume", "code", "OK"))
                    .isPositive();
            assertThat(after.value("csi4j_rpc_in_flight", "method", "CreateVolume")).isZero();
            assertThat(after.value("csi4j_rpc_aborted_total")).isZero();
        }
    }

    @Test
    void backendFiguresBuildInfoAndJvmMetricsAreExported() throws Exception {
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            driver.controller().createVolume(Drivers.minimalCreate("figures-1").build());
            var second = driver.controller().createVolume(Drivers.minimalCreate("figures-2").build());
            driver.controller().deleteVolume(DeleteVolumeRequest.newBuilder()
                    .setVolumeId(second.getVolume().getVolumeId()).build());

            Scrapes.Exposition metrics = Scrapes.scrape(url);

            assertThat(metrics.value("csi4j_volumes", "kind", "image")).isEqualTo(1);
            assertThat(metrics.value("csi4j_volumes", "kind", "directory")).isZero();
            assertThat(metrics.value("csi4j_snapshots", "kind", "image")).isZero();
            assertThat(metrics.value("csi4j_volume_promised_bytes")).isEqualTo(16 << 20);
            assertThat(metrics.value("csi4j_data_size_bytes")).isPositive()
                    .isGreaterThanOrEqualTo(metrics.value("csi4j_data_available_bytes"));
            assertThat(metrics.has("csi4j_node_volumes_staged")).isTrue();
            assertThat(metrics.value("csi4j_node_volumes_published")).isZero();
            assertThat(metrics.value("csi4j_build_info", "version", Version.value(), "driver", "local.csi4j.io"))
                    .isEqualTo(1);
            assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
            assertThat(metrics.has("process_cpu_seconds_total")).isTrue();
            assertThat(metrics.samples()).noneMatch(s -> s.labels().values().stream()
                    .anyMatch(v -> v.contains(second.getVolume().getVolumeId()) || v.startsWith("figures-")));
        }
    }

    @Test
    void aVolumeWhoseImageWentMissingIsCountedAbnormalByReason() throws Exception {
        try (DriverProcess first = Drivers.start(dir)) {
            first.controller().createVolume(Drivers.minimalCreate("lost").build());
            first.controller().createVolume(Drivers.minimalCreate("kept").build());
            assertThat(first.terminate(Drivers.EXIT)).isZero();
        }
        try (var images = java.nio.file.Files.list(Drivers.dataDir(dir).resolve("volumes"))) {
            java.nio.file.Files.delete(images.filter(p -> p.toString().endsWith(".img")).findFirst().orElseThrow());
        }
        try (DriverProcess second = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            Scrapes.Exposition metrics = Scrapes.scrape(Scrapes.baseUrl(second));

            assertThat(metrics.value("csi4j_volumes_abnormal", "reason", "image_missing")).isEqualTo(1);
            assertThat(metrics.value("csi4j_volumes_abnormal", "reason", "directory_missing")).isZero();
            assertThat(metrics.value("csi4j_volumes", "kind", "image")).isEqualTo(2);
        }
    }

    @Test
    void openMetricsIsServedWhenTheScraperAsksForIt() throws Exception {
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            driver.identity().probe(ProbeRequest.getDefaultInstance());

            HttpResponse<String> open = Scrapes.get(url + "/metrics",
                    "application/openmetrics-text; version=1.0.0; charset=utf-8");
            HttpResponse<String> text = Scrapes.get(url + "/metrics", "text/plain");

            assertThat(open.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("application/openmetrics-text"));
            assertThat(open.body()).endsWith("# EOF\n").contains("# TYPE csi4j_rpc counter");
            // the same count in both formats (the start-up wait probed too)
            assertThat(Scrapes.parse(open.body()).value("csi4j_rpc_total", "method", "Probe"))
                    .isGreaterThanOrEqualTo(1).isEqualTo(Scrapes.parse(text.body()).value("csi4j_rpc_total", "method", "Probe"));
            assertThat(text.headers().firstValue("Content-Type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("text/plain"));
            assertThat(text.body()).doesNotContain("# EOF");
        }
    }

    @Test
    void healthAndReadinessAreOkWhileTheDriverServesAndUnknownPathsAre404() throws Exception {
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);

            assertThat(Scrapes.get(url + "/healthz", null).statusCode()).isEqualTo(200);
            assertThat(Scrapes.get(url + "/healthz", null).body()).isEqualTo("ok\n");
            assertThat(Scrapes.get(url + "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(Scrapes.get(url + "/nothing", null).statusCode()).isEqualTo(404);
            assertThat(url).startsWith("http://127.0.0.1:");
        }
    }

    @Test
    void aPortAloneBindsTheLoopbackAddress() throws Exception {
        int port;
        try (var probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", String.valueOf(port))) {
            assertThat(Scrapes.baseUrl(driver)).isEqualTo("http://127.0.0.1:" + port);
            assertThat(Scrapes.get("http://127.0.0.1:" + port + "/healthz", null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void withoutMetricsAddressNothingListensAndTheDriverSaysNothingOfMetrics() throws Exception {
        try (DriverProcess driver = Drivers.start(dir)) {
            driver.identity().probe(ProbeRequest.getDefaultInstance());
            assertThat(driver.output()).doesNotContain("/healthz");
        }
    }

    private static double delta(Scrapes.Exposition before, Scrapes.Exposition after, String name, String... labels) {
        return after.value(name, labels) - before.value(name, labels);
    }
}
