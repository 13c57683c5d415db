package io.csi4j.spi;

import java.util.List;
import java.util.Objects;

/** One way a volume will be used: as a filesystem or a raw block device, in an access mode. */
public record VolumeCapability(Access access, AccessMode mode) {

    public VolumeCapability {
        Objects.requireNonNull(access, "access");
        Objects.requireNonNull(mode, "mode");
    }

    /** Filesystem or block. */
    public sealed interface Access {}

    /**
     * A mounted filesystem.
     *
     * @param fsType     the filesystem to make, or "" for the backend's default
     * @param mountFlags extra mount options
     */
    public record Mount(String fsType, List<String> mountFlags) implements Access {
        public Mount {
            Objects.requireNonNull(fsType, "fsType");
            mountFlags = List.copyOf(mountFlags);
        }
    }

    /** A raw block device. */
    public record Block() implements Access {}

    public boolean isBlock() {
        return access instanceof Block;
    }
}
