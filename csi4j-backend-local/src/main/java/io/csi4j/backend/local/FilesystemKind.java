package io.csi4j.backend.local;

import io.csi4j.linux.FileSystemStats;

/** The filesystem under the data directory, as statfs's magic number tells it. */
enum FilesystemKind {
    EXT4(0xEF53L, "ext4"),
    XFS(0x58465342L, "xfs"),
    BTRFS(0x9123683EL, "btrfs"),
    TMPFS(0x01021994L, "tmpfs"),
    OVERLAY(0x794C7630L, "overlayfs"),
    OTHER(-1, "another filesystem");

    private final long magic;
    private final String label;

    FilesystemKind(long magic, String label) {
        this.magic = magic;
        this.label = label;
    }

    static FilesystemKind of(FileSystemStats stats) {
        for (FilesystemKind kind : values()) {
            if (kind.magic == (stats.type() & 0xFFFFFFFFL)) {
                return kind;
            }
        }
        return OTHER;
    }

    String describe() {
        return "the data directory is on " + label;
    }
}
