package io.csi4j.backend.nfs.volume;

import static org.assertj.core.api.Assertions.assertThat;

import io.csi4j.backend.nfs.libnfs.NfsExport;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NfsVolumeIdTest {

    @Test
    void anNfsIdDescribesServerShareSubdirPortsAndDeletion() {
        NfsVolumeId id = NfsVolumeId.of(new Location.Nfs(new NfsExport("10.0.0.5", "/srv/nfs", 2049, 0)), "team/pvc-1",
                OnDelete.ARCHIVE, "pvc-1");

        assertThat(id.toString()).isEqualTo("nfs1#10.0.0.5#/srv/nfs#team/pvc-1#2049#0#archive#" + NfsVolumeId.nameHash("pvc-1"));
        assertThat(NfsVolumeId.parse(id.toString())).contains(id);
        assertThat(id.mountSource()).isEqualTo("10.0.0.5:/srv/nfs/team/pvc-1");
    }

    @Test
    void aSharedPathIdNamesThePathAndTheRootShareJoinsWithoutADoubleSlash() {
        NfsVolumeId shared = NfsVolumeId.of(new Location.Shared(Path.of("/mnt/cephfs")), "v", OnDelete.DELETE, "v");
        NfsVolumeId root = NfsVolumeId.of(new Location.Nfs(new NfsExport("nas", "/", 0, 0)), "v", OnDelete.DELETE, "v");

        assertThat(NfsVolumeId.parse(shared.toString())).contains(shared);
        assertThat(shared.mountSource()).isEqualTo("/mnt/cephfs/v");
        assertThat(root.mountSource()).isEqualTo("nas:/v");
    }

    @ParameterizedTest(name = "[error] {0}")
    @ValueSource(strings = {"", "l1.abc.node", "nfs1#h#/s#d#0#0#delete", "nfs1#h#/s#../d#0#0#delete#0123456789abcdef",
            "nfs1#h#s#d#0#0#delete#0123456789abcdef", "nfs1#h h#/s#d#0#0#delete#0123456789abcdef",
            "nfs1#h#/s#d#99999#0#delete#0123456789abcdef", "nfs1#h#/s#d#0#0#shred#0123456789abcdef",
            "nfs1#h#/s#d#0#0#delete#XYZ", "path1#rel#d#delete#0123456789abcdef", "path1#/p#d/#delete#0123456789abcdef",
            "nfs1#h#/s#d\n#0#0#delete#0123456789abcdef", "nfs2#h#/s#d#0#0#delete#0123456789abcdef"})
    void anythingElseIsNotAnId(String text) {
        assertThat(NfsVolumeId.parse(text)).isEmpty();
    }
}
