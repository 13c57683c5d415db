package io.csi4j.backend.nfs.volume;

import io.csi4j.backend.nfs.libnfs.NfsExport;
import io.csi4j.spi.InvalidParameter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A volume ID that describes its volume, so neither the controller nor a node needs state to act
 * on one. Fields are separated by {@code #} (which no field may contain) and only ever appended in
 * later format versions:
 * <pre>
 *   nfs1#SERVER#SHARE#SUBDIR#NFSPORT#MOUNTPORT#ONDELETE#NAMEHASH     (ports 0: ask the portmapper)
 *   path1#SHAREDPATH#SUBDIR#ONDELETE#NAMEHASH
 * </pre>
 * {@code NAMEHASH} (16 hex digits of the SHA-256 of the volume's name) ties the ID to the claim
 * that the controller keeps on the share, so a retried DeleteVolume never removes a subdirectory
 * that has since been given to another volume.
 *
 * @param subDir the volume's directory, relative to the share
 */
public record NfsVolumeId(Location location, String subDir, OnDelete onDelete, String nameHash) {

    public static NfsVolumeId of(Location location, String subDir, OnDelete onDelete, String volumeName) {
        return new NfsVolumeId(location, subDir, onDelete, nameHash(volumeName));
    }

    /** The ID, if {@code text} is one this backend issued (or could have); else empty. */
    public static Optional<NfsVolumeId> parse(String text) {
        String[] f = text.split("#", -1);
        try {
            return switch (f[0]) {
                case "nfs1" -> {
                    if (f.length != 8) {
                        yield Optional.empty();
                    }
                    NfsExport export = new NfsExport(Names.server(f[1], "server"), Names.absolute(f[2], "share"),
                            port(f[4]), port(f[5]));
                    yield Optional.of(new NfsVolumeId(new Location.Nfs(export), Names.relative(f[3], "subDir"),
                            OnDelete.parse(f[6]), hash(f[7])));
                }
                case "path1" -> {
                    if (f.length != 5) {
                        yield Optional.empty();
                    }
                    Path root = Path.of(Names.absolute(f[1], "sharedPath"));
                    yield Optional.of(new NfsVolumeId(new Location.Shared(root), Names.relative(f[2], "subDir"),
                            OnDelete.parse(f[3]), hash(f[4])));
                }
                default -> Optional.empty();
            };
        } catch (InvalidParameter | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return switch (location) {
            case Location.Nfs nfs -> String.join("#", "nfs1", nfs.export().server(), nfs.export().path(), subDir,
                    Integer.toString(nfs.export().nfsPort()), Integer.toString(nfs.export().mountPort()),
                    onDelete.text(), nameHash);
            case Location.Shared shared -> String.join("#", "path1", shared.root().toString(), subDir, onDelete.text(),
                    nameHash);
        };
    }

    /** The path of the volume's directory as the kernel's NFS client names it: {@code server:/share/subdir}. */
    public String mountSource() {
        return switch (location) {
            case Location.Nfs nfs -> nfs.export().server() + ":" + join(nfs.export().path(), subDir);
            case Location.Shared shared -> shared.root().resolve(subDir).toString();
        };
    }

    static String join(String share, String subDir) {
        return share.equals("/") ? "/" + subDir : share + "/" + subDir;
    }

    public static String nameHash(String volumeName) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(volumeName.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int port(String text) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("bad port");
        }
        return Integer.parseInt(text);
    }

    private static String hash(String text) {
        if (!text.matches("[0-9a-f]{16}")) {
            throw new IllegalArgumentException("bad name hash");
        }
        return text;
    }
}
