package io.csi4j.backend.local.provision;

import io.csi4j.linux.Btrfs;
import io.csi4j.linux.BtrfsQuota;
import io.csi4j.linux.FileSystemStats;
import io.csi4j.linux.ProjectQuota;
import io.csi4j.linux.QuotaSupport;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the capacity of {@code directory} volumes is enforced on this node, decided once at start
 * from what the data directory's filesystem offers: XFS or ext4 project quotas (mounted with
 * {@code prjquota}), a btrfs subvolume per volume with a qgroup limit, or nothing (and then the
 * driver says so rather than pretend).
 */
public sealed interface CapacityEnforcer {

    /** Words for logs and error messages, e.g. "xfs project quotas". */
    String describe();

    /** Whether capacity is enforced at all. */
    default boolean enforces() {
        return true;
    }

    /**
     * Makes the directory of a volume and limits it to {@code bytes}.
     *
     * @return the quota's ID (project ID or subvolume ID), 0 when none
     */
    long create(Path dir, long bytes, int projectId) throws IOException;

    /** Lifts the limit and removes the directory with everything in it; not an error when gone. */
    void remove(Path dir, long quotaId) throws IOException;

    /** Moves an enforced directory's limit to {@code bytes} (expansion). */
    void resize(Path dir, long bytes, long quotaId) throws IOException;

    static CapacityEnforcer detect(Path dataDir, FileSystemStats stats) throws IOException {
        if (FilesystemKind.of(stats) == FilesystemKind.BTRFS) {
            return new BtrfsQgroups();
        }
        QuotaSupport support = ProjectQuota.supported(dataDir);
        if (support.supported()) {
            ProjectQuota quota = ProjectQuota.of(dataDir);
            return new ProjectQuotas(quota);
        }
        return new NotEnforced(support.reason());
    }

    /** XFS or ext4 project quotas: the directory gets its own project ID, inherited by what is made inside. */
    record ProjectQuotas(ProjectQuota quota) implements CapacityEnforcer {

        @Override
        public String describe() {
            return quota.fsType() + " project quotas";
        }

        @Override
        public long create(Path dir, long bytes, int projectId) throws IOException {
            Files.createDirectory(dir);
            ProjectQuota.assign(dir, projectId);
            quota.setLimit(projectId, bytes, bytes);
            return projectId;
        }

        @Override
        public void remove(Path dir, long quotaId) throws IOException {
            if (Files.isDirectory(dir)) {
                VolumeData.deleteTree(dir);
            }
            if (quotaId > 0) {
                quota.removeLimit((int) quotaId);
            }
        }

        @Override
        public void resize(Path dir, long bytes, long quotaId) throws IOException {
            quota.setLimit((int) quotaId, bytes, bytes);
        }
    }

    /** A btrfs subvolume per volume, limited by its qgroup. Quotas are switched on at first use. */
    final class BtrfsQgroups implements CapacityEnforcer {

        private volatile boolean quotasOn;

        @Override
        public String describe() {
            return "btrfs subvolumes with qgroup limits";
        }

        @Override
        public long create(Path dir, long bytes, int projectId) throws IOException {
            enableQuotas(dir.getParent());
            Btrfs.createSubvolume(dir);
            BtrfsQuota.limitReferenced(dir, bytes);
            return Btrfs.subvolumeId(dir);
        }

        @Override
        public void remove(Path dir, long quotaId) throws IOException {
            if (!Files.isDirectory(dir)) {
                return;
            }
            if (Btrfs.isSubvolume(dir)) {
                Btrfs.deleteSubvolume(dir); // takes its content with it
            } else {
                VolumeData.deleteTree(dir);
            }
        }

        @Override
        public void resize(Path dir, long bytes, long quotaId) throws IOException {
            BtrfsQuota.limitReferenced(dir, bytes);
        }

        private synchronized void enableQuotas(Path anywhere) throws SyscallException {
            if (!quotasOn) {
                BtrfsQuota.enable(anywhere); // a no-op when already on
                BtrfsQuota.awaitRescan(anywhere);
                quotasOn = true;
            }
        }
    }

    /** Nothing enforces capacity here; {@code reason} says why. */
    record NotEnforced(String reason) implements CapacityEnforcer {

        @Override
        public String describe() {
            return "not enforced (" + reason + ")";
        }

        @Override
        public boolean enforces() {
            return false;
        }

        @Override
        public long create(Path dir, long bytes, int projectId) throws IOException {
            Files.createDirectory(dir);
            return 0;
        }

        @Override
        public void remove(Path dir, long quotaId) throws IOException {
            if (Files.isDirectory(dir)) {
                VolumeData.deleteTree(dir);
            }
        }

        @Override
        public void resize(Path dir, long bytes, long quotaId) {
            // nothing limits the directory
        }
    }
}
