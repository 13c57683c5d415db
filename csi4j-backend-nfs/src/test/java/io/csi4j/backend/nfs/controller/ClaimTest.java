package io.csi4j.backend.nfs.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.backend.nfs.volume.OnDelete;
import org.junit.jupiter.api.Test;

class ClaimTest {

    @Test
    void aClaimSurvivesItsSymlinkTextWhateverTheName() {
        Claim claim = new Claim("pvc; name=with#odd/chars ü", "ns/pvc", OnDelete.RETAIN, 1L << 30);

        assertThat(Claim.decode(claim.encode())).contains(claim);
        assertThat(Claim.path("ns/pvc")).matches("\\.csi4j/claims/[0-9a-f]{64}");
    }

    @Test
    void foreignOrDamagedTextIsNoClaim() {
        assertThat(Claim.decode("/etc/passwd")).isEmpty();
        assertThat(Claim.decode("v1;name=x")).isEmpty();
        assertThat(Claim.decode("v1;name=x;subdir=x;ondelete=burn;bytes=1")).isEmpty();
    }
}
