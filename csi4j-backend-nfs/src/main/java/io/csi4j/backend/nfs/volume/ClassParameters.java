package io.csi4j.backend.nfs.volume;

import io.csi4j.backend.nfs.libnfs.NfsExport;
import io.csi4j.spi.InvalidParameter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A StorageClass's parameters, checked: where volumes go, how their subdirectory is named, its
 * mode, and what deletion does. Unknown keys are refused (a typo must not silently change where
 * data goes); the {@code csi.storage.k8s.io/} keys that sidecars add are accepted.
 *
 * @param subDir          the template of the volume's subdirectory ({@link SubDirTemplate})
 * @param mountPermissions the mode the subdirectory gets (chmod, so no umask interferes)
 * @param access          how the controller reaches an NFS export
 */
public record ClassParameters(Location location, String subDir, int mountPermissions, OnDelete onDelete,
                              ControllerAccess access) {

    public static final String SERVER = "server", SHARE = "share", SHARED_PATH = "sharedPath", PORT = "port",
            MOUNT_PORT = "mountPort", SUB_DIR = "subDir", MOUNT_PERMISSIONS = "mountPermissions", ON_DELETE = "onDelete",
            CONTROLLER_ACCESS = "controllerAccess";
    private static final Set<String> KNOWN = Set.of(SERVER, SHARE, SHARED_PATH, PORT, MOUNT_PORT, SUB_DIR,
            MOUNT_PERMISSIONS, ON_DELETE, CONTROLLER_ACCESS);
    /** Prefix of the keys Kubernetes sidecars add (PVC and PV names with --extra-create-metadata). */
    public static final String SIDECAR_PREFIX = "csi.storage.k8s.io/";

    public static ClassParameters parse(Map<String, String> parameters) {
        for (String key : parameters.keySet()) {
            if (!KNOWN.contains(key) && !key.startsWith(SIDECAR_PREFIX)) {
                throw new InvalidParameter("unknown parameter '" + Names.printable(key) + "'; known: " + KNOWN.stream().sorted().toList());
            }
        }
        return new ClassParameters(location(parameters), parameters.getOrDefault(SUB_DIR, SubDirTemplate.DEFAULT),
                mode(parameters.getOrDefault(MOUNT_PERMISSIONS, "0777")),
                OnDelete.parse(parameters.getOrDefault(ON_DELETE, "delete")),
                ControllerAccess.parse(parameters.getOrDefault(CONTROLLER_ACCESS, "auto")));
    }

    /** How the controller reaches the export, from a request's parameters ({@code auto} when none). */
    public static ControllerAccess access(Map<String, String> p) {
        return ControllerAccess.parse(p.getOrDefault(CONTROLLER_ACCESS, "auto"));
    }

    /** Only where the volumes go: what GetCapacity needs. */
    public static Location location(Map<String, String> p) {
        String server = p.get(SERVER), share = p.get(SHARE), shared = p.get(SHARED_PATH);
        if (shared != null) {
            if (server != null || share != null || p.containsKey(PORT) || p.containsKey(MOUNT_PORT)) {
                throw new InvalidParameter("sharedPath excludes server, share, port and mountPort");
            }
            return new Location.Shared(Path.of(Names.absolute(shared, SHARED_PATH)));
        }
        if (server == null || server.isEmpty()) {
            throw new InvalidParameter("parameter 'server' is required (or 'sharedPath')");
        }
        if (share == null || share.isEmpty()) {
            throw new InvalidParameter("parameter 'share' is required with 'server'");
        }
        return new Location.Nfs(new NfsExport(Names.server(server, SERVER), Names.absolute(share, SHARE),
                port(p.get(PORT), PORT), port(p.get(MOUNT_PORT), MOUNT_PORT)));
    }

    private static int port(String text, String key) {
        if (text == null) {
            return 0;
        }
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new InvalidParameter(key + " must be a port number 1..65535, not '" + Names.printable(text) + "'");
        }
        return Integer.parseInt(text);
    }

    private static int mode(String text) {
        if (!text.matches("0?[0-7]{3,4}")) {
            throw new InvalidParameter("mountPermissions must be octal like 0777 or 0750, not '" + Names.printable(text) + "'");
        }
        return Integer.parseInt(text, 8);
    }
}
