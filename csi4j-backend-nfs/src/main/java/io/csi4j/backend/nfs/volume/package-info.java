/**
 * What an NFS or shared-path volume is: where it lives (an export, or a path mounted on every
 * node), the subdirectory that holds it, and what happens to it on deletion; all of it carried in
 * the volume ID, so no state is needed to interpret one. Also the StorageClass parameters and the
 * subdirectory templates, checked before anything touches a share.
 */
package io.csi4j.backend.nfs.volume;
