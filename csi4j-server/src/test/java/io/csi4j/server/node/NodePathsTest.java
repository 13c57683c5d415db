package io.csi4j.server.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

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
}
