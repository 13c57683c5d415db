/**
 * The Linux system layer: system calls made through Java's Foreign Function and Memory API,
 * with errno captured and turned into {@link io.csi4j.linux.SyscallException}. No shell, no
 * spawned mount or losetup; nothing here knows CSI.
 *
 * <ul>
 *   <li>Filesystems: {@link io.csi4j.linux.StatFs}, {@link io.csi4j.linux.Mount} (mount, bind,
 *       propagation, umount2; by path, or through handles with the new mount API: open_tree,
 *       mount_setattr, move_mount) and {@link io.csi4j.linux.MountTable} (/proc/self/mountinfo).</li>
 *   <li>Paths from others: {@link io.csi4j.linux.PathHandle} (openat2 without following links,
 *       O_PATH descriptors to mount on, inspect and remove through).</li>
 *   <li>Block devices: {@link io.csi4j.linux.LoopDevice} (LOOP_CONFIGURE and friends).</li>
 *   <li>Quotas: {@link io.csi4j.linux.ProjectQuota} (XFS and ext4 project quotas through
 *       FS_IOC_FSSETXATTR and quotactl), {@link io.csi4j.linux.Btrfs} and
 *       {@link io.csi4j.linux.BtrfsQuota} (subvolumes, snapshots, qgroup limits).</li>
 *   <li>Copies and snapshots: {@link io.csi4j.linux.FileClone} (FICLONE), {@link io.csi4j.linux.SparseCopy}
 *       (SEEK_DATA/SEEK_HOLE, copy_file_range), {@link io.csi4j.linux.FileCopy} (the one, else the
 *       other), {@link io.csi4j.linux.TreeCopy} (a directory tree with all its metadata),
 *       {@link io.csi4j.linux.Freeze} (FIFREEZE/FITHAW with a watchdog), {@link io.csi4j.linux.FileStat}
 *       (statx).</li>
 *   <li>Expansion: {@link io.csi4j.linux.Resize} (resize2fs, xfs_growfs; no system call does it).</li>
 * </ul>
 *
 * <p>The native plumbing lives in two package-private classes: {@code LibC} (the function
 * handles, errno capture, one {@code call} helper) and {@code Fd} (open with O_CLOEXEC, close,
 * ioctl). One package, so that plumbing stays private to it.
 */
package io.csi4j.linux;
