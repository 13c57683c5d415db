package io.csi4j.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import csi.v1.GetPluginCapabilitiesRequest;
import csi.v1.GetPluginInfoRequest;
import csi.v1.GetPluginInfoResponse;
import csi.v1.PluginCapability;
import csi.v1.ProbeRequest;
import csi.v1.ProbeResponse;
import io.csi4j.testing.CsiDriverExtension;
import io.csi4j.testing.DriverProcess;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class IdentityServiceTest {

    @RegisterExtension
    static final CsiDriverExtension driver = CsiDriverExtension.serving();

    @RegisterExtension
    static final CsiDriverExtension renamed = CsiDriverExtension.serving("--driver-name", "my.driver.example");

    @Test
    void getPluginInfoReportsTheDefaultNameTheBuildVersionAndTheManifest() {
        GetPluginInfoResponse info = driver.driver().identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

        assertThat(info.getName()).isEqualTo("local.csi4j.io");
        assertThat(info.getVendorVersion()).matches("\\d+\\.\\d+\\.\\d+.*").isEqualTo(Version.value());
        assertThat(info.getManifestMap()).containsExactlyInAnyOrderEntriesOf(Map.of("backend", "local", "mode", "all"));
    }

    @Test
    void vendorVersionIsTheVersionThatCsi4jVersionPrints() {
        DriverProcess.Result version = DriverProcess.run(List.of("--version"), Drivers.RUN);
        String vendorVersion = driver.driver().identity()
                .getPluginInfo(GetPluginInfoRequest.getDefaultInstance()).getVendorVersion();

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout().lines().findFirst()).hasValue("csi4j " + vendorVersion);
    }

    @Test
    void getPluginInfoReportsTheNameGivenWithDriverName() {
        GetPluginInfoResponse info = renamed.driver().identity().getPluginInfo(GetPluginInfoRequest.getDefaultInstance());

        assertThat(info.getName()).isEqualTo("my.driver.example");
    }

    @Test
    void getPluginCapabilitiesAreExactlyWhatTheLocalBackendServes() {
        var capabilities = driver.driver().identity()
                .getPluginCapabilities(GetPluginCapabilitiesRequest.getDefaultInstance()).getCapabilitiesList();

        assertThat(capabilities).isEqualTo(List.of(
                service(PluginCapability.Service.Type.CONTROLLER_SERVICE),
                service(PluginCapability.Service.Type.VOLUME_ACCESSIBILITY_CONSTRAINTS),
                service(PluginCapability.Service.Type.GROUP_CONTROLLER_SERVICE),
                PluginCapability.newBuilder().setVolumeExpansion(PluginCapability.VolumeExpansion.newBuilder()
                        .setType(PluginCapability.VolumeExpansion.Type.ONLINE)).build()));
    }

    @Test
    void probeAnswersReady() {
        ProbeResponse probe = driver.driver().identity().probe(ProbeRequest.getDefaultInstance());

        assertThat(probe.hasReady()).isTrue();
        assertThat(probe.getReady().getValue()).isTrue();
    }

    @Test
    void probeAnswersFailedPreconditionNamingTheDataDirOnceItIsDeleted(@TempDir Path dir) throws Exception {
        try (DriverProcess dedicated = Drivers.start(dir)) {
            assertThat(dedicated.identity().probe(ProbeRequest.getDefaultInstance()).getReady().getValue()).isTrue();

            CsiDriverExtension.deleteTree(Drivers.dataDir(dir));
            StatusRuntimeException failure = catchThrowableOfType(StatusRuntimeException.class,
                    () -> dedicated.identity().probe(ProbeRequest.getDefaultInstance()));

            assertThat(failure).isNotNull();
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(failure.getStatus().getDescription())
                    .isEqualTo("local backend is not ready: data directory " + Drivers.dataDir(dir)
                            + " does not exist or is not a directory");
        }
    }

    private static PluginCapability service(PluginCapability.Service.Type type) {
        return PluginCapability.newBuilder().setService(PluginCapability.Service.newBuilder().setType(type)).build();
    }
}
