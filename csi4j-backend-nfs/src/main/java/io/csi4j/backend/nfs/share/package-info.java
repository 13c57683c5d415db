/**
 * The files of one share, whichever way they are reached: through libnfs (no mount) or through a
 * local path (a shared filesystem mounted on this machine). The tree operations the controller
 * needs (make, delete and copy trees of any depth) are written once, over {@link ShareFiles}.
 */
package io.csi4j.backend.nfs.share;
