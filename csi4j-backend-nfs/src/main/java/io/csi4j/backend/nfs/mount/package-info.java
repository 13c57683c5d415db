/**
 * Kernel NFS mounts, made with Debian's {@code mount.nfs} helper under a deadline: by nodes for
 * staging, and by the controller for shares that libnfs cannot reach (servers without NFSv3).
 */
package io.csi4j.backend.nfs.mount;
