package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.linux.BlockProbe;
import io.csi4j.linux.Fsck;
import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.Mkfs;
import io.csi4j.linux.MkfsOptions;
import io.csi4j.linux.Mount;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountOptions;
import io.csi4j.linux.Resize;
import io.csi4j.spi.FailedPrecondition;
import io.csi4j.spi.OperationPending;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The filesystem inside an image volume: attached to a loop device with autoclear (so unmounting
 * gives the device back), made only when the image is blank, checked, grown when its image grew,
 * and mounted.
 */
final class Filesystems {

    private static final Logger LOG = LoggerFactory.getLogger(Filesystems.class);


    private final NodeSide side;

    Filesystems(NodeSide side) {
        this.side = side;
    }

    /** Attaches the image, makes its filesystem if blank, checks it, and mounts it at {@code staging}. */
    void mount(VolumeRecord record, Path staging, MountOptions mount, Made made) throws IOException {
        detachLeftovers(record);
        try (PathHandle at = MountPoints.freeDirectory(staging, made);
             LoopAttachment attached = side.kernel().attach(record, true, false)) {
            Path device = attached.device().path();
            prepare(record, device, staging);
            String fsType = record.fsType();
            String data = mount.data();
            if (fsType.equals("xfs")) {
                // Clones and snapshots carry their source's UUID; XFS refuses a second mount of one.
                data = data.isEmpty() ? "nouuid" : data + ",nouuid";
            }
            String options = data.isEmpty() ? null : data;
            MountPoints.mountOn(at, made, m -> side.kernel().shows(m, record),
                    () -> Mount.mount(device.toString(), at, fsType, mount.flags(), options));
            // Closing the attachment leaves the mount as the device's only user: unmounting frees it.
            if (record.growPending() && fsType.equals("xfs") && !mount.readOnly()) {
                grow(record, device, staging); // XFS grows only while mounted
            }
        }
    }

    /** Two devices writing one image would corrupt it: only unused leftovers may go, and must be gone. */
    private void detachLeftovers(VolumeRecord record) {
        for (LoopDevice stale : side.kernel().loops(record)) {
            Optional<MountInfo> user = Kernel.mountOf(stale);
            if (user.isPresent()) {
                throw new FailedPrecondition("the image of volume " + record.id() + " is mounted at "
                        + user.get().mountPoint() + " through " + stale.path() + "; " + howToFree(record, user.get()));
            }
            LOG.info("volume {}: detaching leftover {}", record.id(), stale.path());
            Kernel.detach(stale);
        }
        if (!side.kernel().awaitDetached(record, side.states().get(record.id().uuid())).isEmpty()) {
            // Something still holds the old device (a checker a crash left running?): a second
            // device on the same image would corrupt it.
            throw new OperationPending("the image of volume " + record.id()
                    + " is still held through an old loop device; retry later");
        }
    }

    /**
     * What frees a mount of the image that stands in the way of its staging. Only a publication
     * can be one this driver made (a recorded staging in the way was taken down before); an unstage
     * there would do nothing, since nothing is staged there.
     */
    private String howToFree(VolumeRecord record, MountInfo mount) {
        NodeState state = side.states().get(record.id().uuid());
        if (state != null && state.publication(mount.mountPoint()).isPresent()) {
            return "it is still published there: unpublish it first";
        }
        return "this driver did not mount it there: unmount it by hand first";
    }

    /**
     * Makes the filesystem on a blank device, or again on one whose first format a crash
     * interrupted; checks (and grows, for ext) one that is there.
     */
    private void prepare(VolumeRecord record, Path device, Path staging) throws IOException {
        String fsType = record.fsType();
        BlockProbe.Content content = BlockProbe.probe(device);
        if (record.formatting()) {
            // Whatever is there (a torn mkfs, or a whole one whose end was not recorded) is the
            // driver's own and was never mounted: no one's data.
            LOG.warn("volume {}: its first format was interrupted ({}); making its {} filesystem again", record.id(),
                    describe(content), fsType);
            makeFilesystem(record, device);
            return;
        }
        switch (content) {
            case BlockProbe.Blank blank -> makeFilesystem(record, device);
            case BlockProbe.Filesystem fs when fs.type().equals(fsType) -> {
                check(record, device, false);
                if (record.growPending() && fsType.startsWith("ext")) {
                    // Grown before mounting: online ext growth needs CAP_SYS_RESOURCE, which not every node grants.
                    check(record, device, true);
                    grow(record, device, staging);
                }
            }
            case BlockProbe.Filesystem fs -> throw new FailedPrecondition("volume " + record.id() + " holds a "
                    + fs.type() + " filesystem, not " + fsType + "; it is left as it is");
            case BlockProbe.Unknown unknown -> throw new FailedPrecondition("volume " + record.id()
                    + " holds data that is not a " + fsType + " filesystem (" + unknown.hint() + "); it is not formatted");
        }
    }

    /**
     * The first format, between two durable records: begun before mkfs writes a byte, finished
     * before the first mount. A crash in between leaves a volume the next stage formats again; once
     * the end is recorded, whatever the image holds is protected.
     */
    private void makeFilesystem(VolumeRecord record, Path device) throws IOException {
        String uuid = record.id().uuid();
        side.provisioner().formatting(uuid, true);
        LOG.info("volume {}: making a {} filesystem on {}", record.id(), record.fsType(), device);
        Mkfs.make(device, record.fsType(), MkfsOptions.defaults()); // mkfs syncs the device before it exits
        side.provisioner().formatting(uuid, false);
    }

    private static String describe(BlockProbe.Content content) {
        return switch (content) {
            case BlockProbe.Blank blank -> "the image is blank";
            case BlockProbe.Filesystem fs -> "a " + fs.type() + " signature is there";
            case BlockProbe.Unknown unknown -> unknown.hint();
        };
    }

    /** ext filesystems are checked before mounting; XFS replays its log at mount time instead. */
    private static void check(VolumeRecord record, Path device, boolean fully) throws IOException {
        String fsType = record.fsType();
        if (!fsType.startsWith("ext")) {
            return;
        }
        switch (fully ? Fsck.checkFully(device, fsType) : Fsck.check(device, fsType)) {
            case Fsck.Clean clean -> { }
            case Fsck.Corrected corrected -> LOG.warn("volume {}: e2fsck corrected errors: {}", record.id(),
                    corrected.output());
            case Fsck.Uncorrected uncorrected -> throw new FailedPrecondition("volume " + record.id()
                    + " has filesystem errors e2fsck could not correct; repair it by hand: " + uncorrected.output());
        }
    }

    /** Grows the filesystem to its device and records that it caught up. */
    void grow(VolumeRecord record, Path device, Path mountPoint) throws IOException {
        LOG.info("volume {}: growing its {} filesystem to {} bytes", record.id(), record.fsType(), record.capacityBytes());
        Resize.growFilesystem(device, record.fsType(), mountPoint);
        side.provisioner().filesystemGrown(record.id().uuid());
    }
}
