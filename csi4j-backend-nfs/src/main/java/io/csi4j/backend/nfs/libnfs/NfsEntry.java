package io.csi4j.backend.nfs.libnfs;

/** One entry of a directory listing: its name and what kind of file it is. */
public record NfsEntry(String name, Kind kind) {

    /** The NFSv3 file types csi4j tells apart ({@code ftype3}). */
    public enum Kind {
        FILE, DIRECTORY, SYMLINK, OTHER;

        static Kind of(int ftype3) {
            return switch (ftype3) {
                case 1 -> FILE;
                case 2 -> DIRECTORY;
                case 5 -> SYMLINK;
                default -> OTHER;
            };
        }
    }
}
