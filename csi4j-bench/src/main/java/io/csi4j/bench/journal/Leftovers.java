package io.csi4j.bench.journal;

import csi.v1.CreateSnapshotRequest;
import csi.v1.CreateVolumeRequest;
import java.util.List;

/**
 * What a journal says may still exist, with what is needed to find it again: the endpoint, and
 * the requests (without names and secrets) that made volumes and snapshots, so that a volume
 * whose CreateVolume never answered can be created again by name to learn its ID.
 */
public record Leftovers(String endpoint, CreateVolumeRequest volumeTemplate, CreateSnapshotRequest snapshotTemplate,
                        List<Pending> pending) {

    public Leftovers {
        pending = List.copyOf(pending);
    }

    public boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The pending objects of one kind, in the order they were made. */
    public <T extends Made> List<Pending> of(Class<T> kind) {
        return pending.stream().filter(p -> kind.isInstance(p.made())).toList();
    }
}
