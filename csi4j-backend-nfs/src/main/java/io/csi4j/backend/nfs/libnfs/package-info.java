/**
 * A userspace NFSv3 client: libnfs (Debian's libnfs13) through Java's FFM API, bound only as far
 * as the controller needs (directories, modes, renames, listing, statvfs, file copies). It lets the
 * controller make and remove volumes without mounting anything and without privileges.
 */
package io.csi4j.backend.nfs.libnfs;
