package io.csi4j.backend.nfs.mount;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What mount.nfs's messages (C locale) mean to the CO. */
class NfsMounterTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "mount.nfs: access denied by server while mounting 10.0.0.1:/x | PermissionDenied",
            "mount.nfs: mounting 10.0.0.1:/x failed, reason given by server: No such file or directory | VolumeNotFound",
            "mount.nfs: Connection refused | BackendUnavailable",
            "mount.nfs: Connection timed out | BackendUnavailable",
            "mount.nfs: Failed to resolve server nas: Name or service not known | BackendUnavailable",
            "mount.nfs: an incorrect mount option was specified | InvalidParameter",
            "mount.nfs: Protocol not supported | IllegalStateException"})
    void helperMessagesMapToOutcomes(String output, String outcome) {
        RuntimeException e = NfsMounter.failure("10.0.0.1:/x", output);
        assertThat(e.getClass().getSimpleName()).isEqualTo(outcome);
        assertThat(e.getMessage()).contains("10.0.0.1:/x").contains(output);
    }
}
