package io.csi4j.linux;

import java.util.Set;

/** The {@code MS_*} flags of mount(2), with their values from {@code <sys/mount.h>}. */
public enum MountFlag {
    RDONLY(0x1),
    NOSUID(0x2),
    NODEV(0x4),
    NOEXEC(0x8),
    SYNCHRONOUS(0x10),
    REMOUNT(0x20),
    DIRSYNC(0x80),
    NOATIME(0x400),
    NODIRATIME(0x800),
    BIND(0x1000),
    MOVE(0x2000),
    REC(0x4000),
    SILENT(0x8000),
    UNBINDABLE(0x20000),
    PRIVATE(0x40000),
    SLAVE(0x80000),
    SHARED(0x100000),
    RELATIME(0x200000),
    STRICTATIME(0x1000000),
    LAZYTIME(0x2000000);

    /** The flags a bind mount only takes on when it is remounted ({@link Mount#bind}). */
    static final Set<MountFlag> PER_MOUNT =
            Set.of(RDONLY, NOSUID, NODEV, NOEXEC, NOATIME, NODIRATIME, RELATIME, STRICTATIME);

    private final long bit;

    MountFlag(long bit) {
        this.bit = bit;
    }

    public long bit() {
        return bit;
    }

    /** The flags or-ed together, as mount(2) takes them. */
    public static long bits(Set<MountFlag> flags) {
        long bits = 0;
        for (MountFlag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }
}
