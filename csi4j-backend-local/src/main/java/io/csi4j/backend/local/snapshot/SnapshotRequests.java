package io.csi4j.backend.local.snapshot;

import io.csi4j.backend.local.provision.LocalProvisioner;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.KeyLocks;
import io.csi4j.backend.local.volume.LocalVolumeId;
import io.csi4j.spi.InvalidParameter;
import io.csi4j.spi.VolumeNotFound;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** What snapshot calls send, checked: names within the CSI limit, no parameters, source volumes of this node. */
final class SnapshotRequests {

    private final LocalProvisioner provisioner;

    SnapshotRequests(LocalProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    static void check(String name, Map<String, String> parameters) {
        if (name.getBytes(StandardCharsets.UTF_8).length > LocalProvisioner.MAX_NAME_BYTES) {
            throw new InvalidParameter("the snapshot name is longer than " + LocalProvisioner.MAX_NAME_BYTES + " bytes");
        }
        for (String key : parameters.keySet()) {
            if (!key.startsWith("csi.storage.k8s.io/")) {
                throw new InvalidParameter("unknown snapshot parameter '" + key + "'; local snapshots take none");
            }
        }
    }

    String node() {
        return provisioner.node();
    }

    KeyLocks locks() {
        return provisioner.locks();
    }

    LocalVolumeId volumeId(String sourceVolumeId) {
        return LocalVolumeId.parse(sourceVolumeId)
                .filter(id -> id.node().equals(provisioner.node()))
                .orElseThrow(() -> new VolumeNotFound("volume " + sourceVolumeId + " does not exist on this node"));
    }

    /** Takes the source volume's lock, so that it is neither changed nor deleted under the copy. */
    KeyLocks.Held lock(LocalVolumeId source) {
        return provisioner.locks().acquire("id:" + source.uuid(), "volume " + source);
    }

    VolumeRecord volume(LocalVolumeId id) {
        return provisioner.record(id.uuid()).orElseThrow(() -> new VolumeNotFound("volume " + id + " does not exist"));
    }
}
