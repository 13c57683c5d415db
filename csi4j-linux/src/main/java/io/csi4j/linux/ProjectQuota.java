package io.csi4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Project quotas on XFS and ext4: a directory tree is charged to a project ID (see
 * {@link #assign}), and the project gets a block limit through quotactl(2) on the filesystem's
 * block device. XFS speaks its own interface (Q_XSETQLIM, {@code struct fs_disk_quota}); ext4 the
 * generic one (Q_SETQUOTA, {@code struct if_dqblk}). The filesystem must be mounted with
 * {@code prjquota} (ext4 made with {@code -O quota,project}).
 *
 * <p>XFS enforces limits on everyone and fails writes with {@code ENOSPC}; ext4 lets processes
 * with CAP_SYS_RESOURCE (root) through, and fails the others with {@code EDQUOT}.
 */
public final class ProjectQuota {

    private final MountInfo mount;
    private final Path device;
    private final boolean xfs;

    private ProjectQuota(MountInfo mount, Path device) {
        this.mount = mount;
        this.device = device;
        this.xfs = mount.fsType().equals("xfs");
    }

    /** Whether the filesystem holding {@code dir} takes project quotas, and if not, why. */
    public static QuotaSupport supported(Path dir) throws IOException {
        return probe(dir).support();
    }

    /**
     * The project quotas of the filesystem holding {@code dir}.
     *
     * @throws UnsupportedOperationException with {@link QuotaSupport#reason()} when it has none
     */
    public static ProjectQuota of(Path dir) throws IOException {
        Probe probe = probe(dir);
        if (!probe.support().supported()) {
            throw new UnsupportedOperationException(probe.support().reason());
        }
        return probe.quota();
    }

    private record Probe(QuotaSupport support, ProjectQuota quota) {}

    private static Probe probe(Path dir) throws IOException {
        Path real = dir.toRealPath();
        MountInfo m = MountTable.read().containing(real)
                .orElseThrow(() -> new NoSuchFileException(real.toString(), null, "on no mount"));
        String where = m.fsType() + " on " + m.source() + " at " + m.mountPoint();
        if (!m.fsType().equals("xfs") && !m.fsType().equals("ext4")) {
            return new Probe(QuotaSupport.no(where + ": project quotas are supported on xfs and ext4 only"), null);
        }
        if (!m.hasSuperOption("prjquota") && !m.hasSuperOption("pquota")) {
            return new Probe(QuotaSupport.no(where + " is not mounted with prjquota"), null);
        }
        Optional<Path> device = blockDevice(m);
        if (device.isEmpty()) {
            return new Probe(QuotaSupport.no(where + ": no block device node for " + m.device()), null);
        }
        ProjectQuota quota = new ProjectQuota(m, device.get());
        try {
            return new Probe(quota.askKernel(where), quota);
        } catch (SyscallException e) {
            return new Probe(QuotaSupport.no(where + ": the kernel does not answer for project quotas: "
                    + e.getMessage()), null);
        }
    }

    /** Q_XGETQSTAT (XFS) or Q_GETFMT (ext4): is project quota really on and enforced? */
    private QuotaSupport askKernel(String where) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            if (xfs) {
                MemorySegment stat = arena.allocate(QuotaCtl.QSTAT_SIZE, 8);
                QuotaCtl.call("Q_XGETQSTAT", QuotaCtl.qcmd(QuotaCtl.Q_XGETQSTAT, QuotaCtl.PRJQUOTA), device, 0, stat);
                int flags = Short.toUnsignedInt(stat.get(ValueLayout.JAVA_SHORT, QuotaCtl.QSTAT_FLAGS));
                if ((flags & QuotaCtl.FS_QUOTA_PDQ_ENFD) == 0) {
                    return QuotaSupport.no(where + ": project quota accounting is on but not enforced");
                }
                return QuotaSupport.yes(where + ": XFS project quotas enforced");
            }
            MemorySegment format = arena.allocate(ValueLayout.JAVA_INT);
            QuotaCtl.call("Q_GETFMT", QuotaCtl.qcmd(QuotaCtl.Q_GETFMT, QuotaCtl.PRJQUOTA), device, 0, format);
            return QuotaSupport.yes(where + ": ext4 project quotas on, format " + format.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /**
     * The block device node of a mount: its source if that is the device, else the node
     * /dev/block or sysfs name for its major:minor.
     */
    private static Optional<Path> blockDevice(MountInfo m) throws IOException {
        long dev = LibC.makedev(m.major(), m.minor());
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/dev/block/" + m.device())));
        if (m.source().startsWith("/")) {
            candidates.addFirst(Path.of(m.source()));
        }
        Path uevent = Path.of("/sys/dev/block/" + m.device() + "/uevent");
        if (Files.isReadable(uevent)) {
            for (String line : Files.readAllLines(uevent)) {
                if (line.startsWith("DEVNAME=")) {
                    candidates.add(Path.of("/dev/" + line.substring(8)));
                }
            }
        }
        for (Path candidate : candidates) {
            if (Files.exists(candidate)
                    && ((Integer) Files.getAttribute(candidate, "unix:mode") & 0xF000) == 0x6000
                    && ((Number) Files.getAttribute(candidate, "unix:rdev")).longValue() == dev) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Charges the directory {@code dir} to project {@code projectId} and marks it PROJINHERIT, so
     * everything created inside later is charged to the project too. Existing content keeps its
     * project: assign a fresh, empty directory.
     */
    public static void assign(Path dir, int projectId) throws SyscallException {
        if (projectId <= 0) {
            throw new IllegalArgumentException("project IDs start at 1 (0 is the default, never limited): " + projectId);
        }
        FsXattr.setProject(dir, projectId);
    }

    /** The project a file or directory is charged to. */
    public static int projectOf(Path path) throws SyscallException {
        return FsXattr.get(path).projectId();
    }

    /** Sets a project's block limits in bytes (rounded up to the filesystem's quota block); 0 means none. */
    public void setLimit(int projectId, long hardBytes, long softBytes) throws SyscallException {
        if (hardBytes < 0 || softBytes < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        try (Arena arena = Arena.ofConfined()) {
            if (xfs) {
                QuotaCtl.call("Q_XSETQLIM", QuotaCtl.qcmd(QuotaCtl.Q_XSETQLIM, QuotaCtl.PRJQUOTA), device, projectId,
                        FsDiskQuota.projectBlockLimits(projectId, hardBytes, softBytes).encode(arena));
            } else {
                QuotaCtl.call("Q_SETQUOTA", QuotaCtl.qcmd(QuotaCtl.Q_SETQUOTA, QuotaCtl.PRJQUOTA), device, projectId,
                        IfDqblk.blockLimits(hardBytes, softBytes).encode(arena));
            }
        }
    }

    public void removeLimit(int projectId) throws SyscallException {
        setLimit(projectId, 0, 0);
    }

    /** A project's usage and limits; XFS answers {@code ENOENT} for a project it has no record of. */
    public QuotaUsage usage(int projectId) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            if (xfs) {
                MemorySegment q = arena.allocate(FsDiskQuota.SIZE, 8);
                QuotaCtl.call("Q_XGETQUOTA", QuotaCtl.qcmd(QuotaCtl.Q_XGETQUOTA, QuotaCtl.PRJQUOTA), device, projectId, q);
                return FsDiskQuota.decode(q).usage();
            }
            MemorySegment q = arena.allocate(IfDqblk.SIZE, 8);
            QuotaCtl.call("Q_GETQUOTA", QuotaCtl.qcmd(QuotaCtl.Q_GETQUOTA, QuotaCtl.PRJQUOTA), device, projectId, q);
            return IfDqblk.decode(q).usage();
        }
    }

    /** The block device quotactl is called on. */
    public Path device() {
        return device;
    }

    public Path mountPoint() {
        return mount.mountPoint();
    }

    public String fsType() {
        return mount.fsType();
    }

    @Override
    public String toString() {
        return "project quotas of " + fsType() + " on " + device + " at " + mountPoint();
    }
}
