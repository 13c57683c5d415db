/**
 * The node side: an NFS volume is mounted once per node at its staging path by the kernel's NFS
 * client (through the {@code mount.nfs} helper, with argv and a deadline), then bind-mounted to each
 * target; a shared-path volume is bind-mounted straight from the shared path. The kernel's mount
 * table is the only state: every call looks at it, so repeats, crashes and stale mounts are met
 * where they are.
 */
package io.csi4j.backend.nfs.node;
