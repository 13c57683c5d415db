package io.csi4j.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodePathsTest {

    private static final NodePaths ANYWHERE = new NodePaths(Optional.empty());
    private static final NodePaths KUBELET = new NodePaths(Optional.of(Path.of("/var/lib/kubelet")));

    @ParameterizedTest
    @ValueSource(strings = {"", "relative", "./here", "/a/../b", "/a/./b", "/", "/a/b/..", "/a\n/b", "/a\u0000b"})
    void malformedPathsAreInvalidArguments(String raw) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ANYWHERE.check(raw, "target_path"));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).startsWith("target_path");
    }

    @Test
    void aTrailingSlashIsNotAnotherPath() {
        assertThat(ANYWHERE.check("/mnt/vol/", "target_path")).isEqualTo(Path.of("/mnt/vol"));
    }

    @Test
    void aConfiguredRootConfinesEveryPath() {
        assertThat(KUBELET.check("/var/lib/kubelet/pods/uid/volumes/x/mount", "target_path"))
                .isEqualTo(Path.of("/var/lib/kubelet/pods/uid/volumes/x/mount"));
        for (String outside : new String[] {"/etc", "/var/lib/kubelet", "/var/lib/kubelet-other/x"}) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> KUBELET.check(outside, "staging_target_path"));
            assertThat(e.getStatus().getCode()).as(outside).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void overlongPathsAreRefused() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> ANYWHERE.check("/" + "a".repeat(5000), "target_path"));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void aPathUnderASymlinkedRootIsMovedToTheRootsRealLocationAndOnlyThatPrefix(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectories(dir.resolve("data/kubelet"));
        Path link = Files.createSymbolicLink(dir.resolve("kubelet"), real);
        NodePaths paths = new NodePaths(Optional.of(link));

        assertThat(paths.check(link + "/pods/uid/volumes/x/mount", "target_path"))
                .isEqualTo(real.toRealPath().resolve("pods/uid/volumes/x/mount"));
        assertThat(paths.volumePath(link + "/plugins/x/globalmount", "vol"))
                .isEqualTo(real.toRealPath().resolve("plugins/x/globalmount"));
        // Already under the real location: as it is. Links below the root are the backends' to refuse, left in.
        assertThat(paths.check(real.toRealPath() + "/pods/a", "target_path")).isEqualTo(real.toRealPath().resolve("pods/a"));
        Files.createSymbolicLink(real.resolve("evil"), Path.of("/etc"));
        assertThat(paths.check(link + "/evil/x", "target_path")).isEqualTo(real.toRealPath().resolve("evil/x"));
        for (String outside : new String[] {link.toString(), real.toString(), dir.resolve("data").toString(), "/etc/x"}) {
            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> paths.check(outside, "target_path"));
            assertThat(e.getStatus().getCode()).as(outside).isEqualTo(Status.Code.INVALID_ARGUMENT);
        }
    }

    @Test
    void aRootNotThereYetIsResolvedFromItsNearestExistingAncestorAndAgainOnceMade(@TempDir Path dir) throws IOException {
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        NodePaths paths = new NodePaths(Optional.of(link.resolve("kubelet")));

        assertThat(paths.check(link + "/kubelet/pods/a", "target_path")).isEqualTo(real.toRealPath().resolve("kubelet/pods/a"));
        Path elsewhere = Files.createDirectory(dir.resolve("elsewhere"));
        Files.createSymbolicLink(real.resolve("kubelet"), elsewhere); // made after start, itself a link
        assertThat(paths.check(link + "/kubelet/pods/a", "target_path")).isEqualTo(elsewhere.toRealPath().resolve("pods/a"));
    }
}
