/**
 * Smoke tests of the full-kernel test harness ({@code test-kernel/}): each test tagged {@code kernel}
 * proves one thing the harness promises inside its QEMU guest on Debian's stock kernel (XFS and ext4
 * project quotas, an NFSv4 mount of nfs-ganesha, NBD, device-mapper), so a broken harness fails
 * loudly. The fixtures use the usual command-line tools (mkfs, losetup, mount, xfs_quota, dmsetup);
 * the driver itself uses system calls. {@link io.csi4j.kernel.smoke.KernelHarnessTest} runs on the
 * host and checks that kernel tests are never skipped silently.
 */
package io.csi4j.kernel.smoke;
