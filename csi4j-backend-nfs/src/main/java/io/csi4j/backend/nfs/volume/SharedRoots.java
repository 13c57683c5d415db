package io.csi4j.backend.nfs.volume;

import io.csi4j.spi.InvalidParameter;
import java.nio.file.Path;
import java.util.List;

/**
 * The directories under which {@code sharedPath} volumes may live, as the operator configured them
 * ({@code serve --shared-path-root}). A volume ID or class names a path; without this check any
 * host directory (say {@code /etc}) could be bound into a pod by whoever writes a PV.
 */
public record SharedRoots(List<Path> roots) {

    public static final SharedRoots NONE = new SharedRoots(List.of());

    public SharedRoots {
        roots = roots.stream().map(r -> r.toAbsolutePath().normalize()).toList();
    }

    /** {@code location} itself when it is an NFS export or a shared path inside a configured root. */
    public Location check(Location location) {
        if (location instanceof Location.Shared shared && roots.stream().noneMatch(shared.root()::startsWith)) {
            throw new InvalidParameter("sharedPath " + shared.root() + " is not under a directory this driver serves "
                    + (roots.isEmpty() ? "(it was started without --shared-path-root)" : roots.toString()));
        }
        return location;
    }
}
