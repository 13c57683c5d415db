package io.csi4j.backend.local.node;

import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * What one stage or publish call itself mounted: the ID of its own new mount, once the kernel
 * shows it. A failed call undoes only this; a mount it did not make (a racing call's, the CO's) is
 * never taken down by its undo.
 */
final class Made {

    private int mountId = -1;
    private Path mountPoint;
    private boolean created;

    /** This call made the mount point itself (it was not there): its undo may remove it. */
    void created() {
        created = true;
    }

    boolean madePath() {
        return created;
    }

    void mounted(int id, Path at) {
        mountId = id;
        mountPoint = at;
    }

    /** Where the kernel put that mount: the path asked for, unless the directory was moved meanwhile. */
    Path mountPoint() {
        return mountPoint;
    }

    OptionalInt mountId() {
        return mountId < 0 ? OptionalInt.empty() : OptionalInt.of(mountId);
    }
}
