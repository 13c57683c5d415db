package io.csi4j.backend.local.provision;

import io.csi4j.linux.FileSystemStats;

/** The filesystem under the data directory, as statfs's magic number tells it. */
enum FilesystemKind {
    EXT4(0xEF53L),
    XFS(0x58465342L),
    BTRFS(0x9123683EL),
    TMPFS(0x01021994L),
    OVERLAY(0x794C7630L),
    OTHER(-1);

    private final long magic;

    FilesystemKind(long magic) {
        this.magic = magic;
    }

    static FilesystemKind of(FileSystemStats stats) {
        for (FilesystemKind kind : values()) {
            if (kind.magic == (stats.type() & 0xFFFFFFFFL)) {
                return kind;
            }
        }
        return OTHER;
    }
}
