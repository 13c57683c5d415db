package io.csi4j.backend.nfs.libnfs;

/** What lstat says of a file on the export: its mode bits (type included), owner and size. */
public record NfsAttributes(int mode, long uid, long gid, long size) {

    private static final int S_IFMT = 0170000, S_IFDIR = 0040000, S_IFLNK = 0120000;

    public boolean directory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean symlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    /** The permission bits, setuid/setgid/sticky included. */
    public int permissions() {
        return mode & 07777;
    }
}
