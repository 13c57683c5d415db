/**
 * The Linux system layer: system calls made through Java's Foreign Function and Memory API,
 * with errno captured and turned into {@link io.csi4j.linux.SyscallException}. No shell, no
 * spawned mount or losetup; nothing here knows CSI.
 *
 * <ul>
 *   <li>Filesystems: {@link io.csi4j.linux.StatFs}, {@link io.csi4j.linux.Mount} (mount, bind,
 *       propagation, umount2) and {@link io.csi4j.linux.MountTable} (/proc/self/mountinfo).</li>
 *   <li>Block devices: {@link io.csi4j.linux.LoopDevice} (LOOP_CONFIGURE and friends).</li>
 *   <li>Quotas: {@link io.csi4j.linux.ProjectQuota} (XFS and ext4 project quotas through
 *       FS_IOC_FSSETXATTR and quotactl), {@link io.csi4j.linux.Btrfs} and
 *       {@link io.csi4j.linux.BtrfsQuota} (subvolumes, snapshots, qgroup limits).</li>
 * </ul>
 *
 * <p>The native plumbing lives in two package-private classes: {@code LibC} (the function
 * handles, errno capture, one {@code call} helper) and {@code Fd} (open with O_CLOEXEC, close,
 * ioctl). One package, so that plumbing stays private to it.
 */
package io.csi4j.linux;
