/**
 * The Linux system layer: system calls made through Java's Foreign Function and Memory API,
 * with errno captured and turned into {@link io.csi4j.linux.SyscallException}. No shell, no
 * spawned mount or losetup; nothing here knows CSI.
 */
package io.csi4j.linux;
