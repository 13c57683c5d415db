/**
 * The shared-filesystem backend: each volume is a subdirectory of an NFS export, or of a filesystem
 * the administrator mounts at the same path on every node, usable from many nodes at once.
 */
package io.csi4j.backend.nfs;
