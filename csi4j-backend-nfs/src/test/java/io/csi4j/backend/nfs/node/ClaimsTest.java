package io.csi4j.backend.nfs.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.csi4j.spi.OperationPending;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ClaimsTest {

    private final Claims claims = new Claims();
    private final Path target = Path.of("/var/lib/kubelet/pods/uid/volumes/kubernetes.io~csi/pv/mount");

    @Test
    void aSecondCallOnABusyPathIsRefusedEvenForAnotherVolume() {
        try (Claims.Claim first = claims.claim("path1#/srv#a#retain#x", target)) {
            assertThatThrownBy(() -> claims.claim("path1#/srv#b#retain#y", target))
                    .isInstanceOf(OperationPending.class).hasMessageContaining(target.toString());
            assertThatThrownBy(() -> claims.claim("path1#/srv#c#retain#z", Path.of(target + "/../mount")))
                    .isInstanceOf(OperationPending.class);
        }
        claims.claim("path1#/srv#b#retain#y", target).close(); // free again
    }

    @Test
    void aRefusedClaimHoldsNothingItTook() {
        try (Claims.Claim first = claims.claim("v1", target)) {
            assertThatThrownBy(() -> claims.claim("v2", Path.of("/other"), target)).isInstanceOf(OperationPending.class);
            claims.claim("v2", Path.of("/other")).close(); // the volume and /other were given back
        }
    }

    @Test
    void aSecondCallOnABusyVolumeIsRefused() {
        try (Claims.Claim first = claims.claim("v1", target)) {
            assertThatThrownBy(() -> claims.claim("v1", Path.of("/elsewhere"))).isInstanceOf(OperationPending.class)
                    .hasMessageContaining("volume v1");
        }
    }
}
