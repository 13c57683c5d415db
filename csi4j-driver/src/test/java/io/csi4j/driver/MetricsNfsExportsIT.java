package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.CapacityRange;
import csi.v1.CreateVolumeRequest;
import csi.v1.DeleteVolumeRequest;
import csi.v1.VolumeCapability;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.csi4j.testing.NfsServer;
import io.grpc.StatusRuntimeException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The NFS controller's exports by whether it reaches them, as its metrics say (a real ganesha, and a silent port). */
class MetricsNfsExportsIT {

    @TempDir
    Path dir;

    @Test
    void exportsAreCountedReachableWhenTheServerAnswersAndUnreachableWhenItDoesNot() throws Exception {
        Path nfsDir = Files.createTempDirectory("csi4j-nfs-metrics-");
        try (NfsServer server = NfsServer.start(nfsDir);
             ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             DriverProcess driver = Drivers.start(dir, "--backend", "nfs", "--nfs-timeout", "3",
                     "--metrics-address", "127.0.0.1:0")) {
            String url = Scrapes.baseUrl(driver);
            assertThat(Scrapes.scrape(url).value("csi4j_nfs_exports")).isZero();

            var volume = driver.controller().createVolume(request("metrics-nfs", Map.of("server", server.host(),
                    "share", server.share(), "port", Integer.toString(server.nfsPort()),
                    "mountPort", Integer.toString(server.mountPort())))).getVolume();
            String port = Integer.toString(silent.getLocalPort());
            catchThrowableOfType(StatusRuntimeException.class, () -> driver.controller().createVolume(request(
                    "metrics-silent", Map.of("server", "127.0.0.1", "share", "/x", "port", port, "mountPort", port))));
            Scrapes.Exposition metrics = Scrapes.scrape(url);
            driver.controller().deleteVolume(DeleteVolumeRequest.newBuilder().setVolumeId(volume.getVolumeId()).build());

            assertThat(metrics.value("csi4j_nfs_exports", "state", "reachable")).isEqualTo(1);
            assertThat(metrics.value("csi4j_nfs_exports", "state", "unreachable")).isEqualTo(1);
            assertThat(metrics.has("csi4j_volumes")).as("the NFS backend keeps no volume count").isFalse();
        } finally {
            CsiDriverExtension.deleteTree(nfsDir);
        }
    }

    private static CreateVolumeRequest request(String name, Map<String, String> params) {
        return CreateVolumeRequest.newBuilder().setName(name).putAllParameters(params)
                .addVolumeCapabilities(VolumeCapability.newBuilder()
                        .setMount(VolumeCapability.MountVolume.newBuilder().addMountFlags("nfsvers=3"))
                        .setAccessMode(VolumeCapability.AccessMode.newBuilder()
                                .setMode(VolumeCapability.AccessMode.Mode.MULTI_NODE_MULTI_WRITER)))
                .setCapacityRange(CapacityRange.newBuilder().setRequiredBytes(1L << 30)).build();
    }
}
