package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.testing.DriverProcess;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /healthz} tells the truth: the data directory made unwritable behind the driver's back
 * (immutable: even root cannot write in it) turns it 503 with the reason, and repairing it 200 again.
 */
class MetricsHealthIT {

    @TempDir
    Path dir;

    @Test
    void healthTurns503WithTheReasonWhenTheDataDirectoryIsUnwritableAnd200WhenRepaired() throws Exception {
        Path data = Drivers.dataDir(dir);
        try (DriverProcess driver = Drivers.start(dir, "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            assertThat(Scrapes.get(url + "/healthz", null).statusCode()).isEqualTo(200);
            try {
                chattr("+i", data);

                HttpResponse<String> broken = Scrapes.get(url + "/healthz", null);
                HttpResponse<String> notReady = Scrapes.get(url + "/readyz", null);

                assertThat(broken.statusCode()).isEqualTo(503);
                assertThat(broken.body()).isEqualTo("data directory " + data + " is not writable by the driver\n");
                assertThat(notReady.statusCode()).isEqualTo(503);
            } finally {
                chattr("-i", data);
            }
            HttpResponse<String> repaired = Scrapes.get(url + "/healthz", null);

            assertThat(repaired.statusCode()).isEqualTo(200);
            assertThat(repaired.body()).isEqualTo("ok\n");
        }
    }

    private static void chattr(String flag, Path path) throws Exception {
        Process p = new ProcessBuilder("chattr", flag, path.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("chattr %s %s: %s", flag, path, output).isZero();
    }
}
