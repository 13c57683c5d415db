package io.csi4j.backend.nfs.libnfs;

import java.util.Objects;

/**
 * An NFS export to talk to: its server, its path on the server, and the ports of the NFS and
 * MOUNT services when they are not found through the server's portmapper (0: ask it).
 */
public record NfsExport(String server, String path, int nfsPort, int mountPort) {

    public NfsExport {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(path, "path");
        if (nfsPort < 0 || nfsPort > 65535 || mountPort < 0 || mountPort > 65535) {
            throw new IllegalArgumentException("ports must be in 0..65535");
        }
    }

    /** The libnfs URL: ports travel as its query arguments, which libnfs applies to the context. */
    String url() {
        StringBuilder url = new StringBuilder("nfs://").append(server.contains(":") ? "[" + server + "]" : server)
                .append(path);
        String sep = "?";
        if (nfsPort > 0) {
            url.append(sep).append("nfsport=").append(nfsPort);
            sep = "&";
        }
        if (mountPort > 0) {
            url.append(sep).append("mountport=").append(mountPort);
        }
        return url.toString();
    }

    @Override
    public String toString() {
        return server + ":" + path;
    }
}
