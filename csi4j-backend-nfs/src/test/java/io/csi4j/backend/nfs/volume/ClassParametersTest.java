package io.csi4j.backend.nfs.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.backend.nfs.libnfs.NfsExport;
import io.csi4j.spi.InvalidParameter;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClassParametersTest {

    @Test
    void defaultsAreTheVolumeNameWorldWritableAndDelete() {
        ClassParameters p = ClassParameters.parse(Map.of("server", "nas.example", "share", "/exports/k8s",
                "csi.storage.k8s.io/pvc/name", "x"));

        assertThat(p.location()).isEqualTo(new Location.Nfs(new NfsExport("nas.example", "/exports/k8s", 0, 0)));
        assertThat(p.subDir()).isEqualTo(SubDirTemplate.DEFAULT);
        assertThat(p.mountPermissions()).isEqualTo(0777);
        assertThat(p.onDelete()).isEqualTo(OnDelete.DELETE);
        assertThat(p.access()).isEqualTo(ControllerAccess.AUTO);
    }

    @Test
    void aSharedPathAndItsOptions() {
        ClassParameters p = ClassParameters.parse(Map.of("sharedPath", "/mnt/cephfs", "mountPermissions", "0750",
                "onDelete", "archive"));

        assertThat(p.location()).isEqualTo(new Location.Shared(Path.of("/mnt/cephfs")));
        assertThat(p.mountPermissions()).isEqualTo(0750);
        assertThat(p.onDelete()).isEqualTo(OnDelete.ARCHIVE);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of(Map.of(), "'server' is required"),
                Arguments.of(Map.of("server", "nas"), "'share' is required"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "sharedPath", "/y"), "sharedPath excludes"),
                Arguments.of(Map.of("server", "nas;rm", "share", "/x"), "not a host name"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "port", "0"), "port number"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "mountPermissions", "777x"), "octal"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "onDelete", "shred"), "onDelete"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "subdir", "a"), "unknown parameter 'subdir'"),
                Arguments.of(Map.of("sharedPath", "relative"), "absolute path"),
                Arguments.of(Map.of("server", "nas", "share", "/x", "controllerAccess", "ftp"), "controllerAccess"));
    }

    @ParameterizedTest(name = "[error] {0}")
    @MethodSource("refused")
    void badParametersAreRefusedWithWhatIsWrong(Map<String, String> parameters, String message) {
        assertThatThrownBy(() -> ClassParameters.parse(parameters))
                .isInstanceOf(InvalidParameter.class).hasMessageContaining(message);
    }
}
