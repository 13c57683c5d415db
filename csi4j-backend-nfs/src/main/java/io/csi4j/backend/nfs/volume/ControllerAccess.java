package io.csi4j.backend.nfs.volume;

import io.csi4j.spi.InvalidParameter;

/**
 * How the controller reaches an NFS export (StorageClass parameter {@code controllerAccess}).
 * libnfs needs no privileges and no mount, but speaks only NFSv3; servers that offer only NFSv4
 * (some cloud file services) are mounted instead, which needs CAP_SYS_ADMIN and a kernel NFS client.
 */
public enum ControllerAccess {
    /** libnfs only. */
    LIBNFS,
    /** A kernel mount of the export (NFSv4), kept for the controller's lifetime. */
    MOUNT,
    /** libnfs first; when it cannot reach the export for any reason but a timeout, a mount. */
    AUTO;

    public static ControllerAccess parse(String text) {
        return switch (text) {
            case "libnfs" -> LIBNFS;
            case "mount" -> MOUNT;
            case "auto" -> AUTO;
            default -> throw new InvalidParameter("controllerAccess must be libnfs, mount or auto, not '"
                    + Names.printable(text) + "'");
        };
    }
}
