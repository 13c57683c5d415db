package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CreateVolumeRequest;
import io.csi4j.testing.DriverProcess;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code csi4j metrics} against a real driver's endpoint. */
class MetricsCommandTest {

    @TempDir
    Path dir;

    @Test
    void printsTheDriversKeyFiguresAndEachMethodsCallsAsATable() throws Exception {
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            driver.controller().createVolume(Drivers.minimalCreate("table-1").build());
            driver.controller().createVolume(Drivers.minimalCreate("table-2").build());
            catchThrowableOfType(StatusRuntimeException.class,
                    () -> driver.controller().createVolume(CreateVolumeRequest.newBuilder().build()));

            DriverProcess.Result result = DriverProcess.run(List.of("metrics", "--url", url), Drivers.RUN);

            assertThat(result.exitCode()).as(result.stderr()).isZero();
            assertThat(result.stdout().lines()).contains(
                    "driver       local.csi4j.io " + Version.value(),
                    "volumes      directory 0, image 2",
                    "room         32.0 MiB promised, 0 B of it written",
                    "node         0 staged, 0 published",
                    "abnormal     none");
            assertThat(result.stdout().lines().filter(l -> l.startsWith("CreateVolume ")))
                    .singleElement().satisfies(row -> assertThat(row.split("\\s+"))
                            .startsWith("CreateVolume", "3", "1").endsWith("INVALID_ARGUMENT", "1,", "OK", "2"));
            assertThat(result.stdout()).contains("METHOD").contains("data dir");
        }
    }

    @Test
    void aDriverThatDoesNotAnswerIsAnErrorThatNamesTheUrl() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        DriverProcess.Result result = DriverProcess.run(List.of("metrics", "--url", "127.0.0.1:" + port), Drivers.RUN);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.stderr().strip()).startsWith("csi4j: cannot reach http://127.0.0.1:" + port + "/metrics");
    }
}
