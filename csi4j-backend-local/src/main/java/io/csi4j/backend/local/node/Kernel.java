package io.csi4j.backend.local.node;

import io.csi4j.backend.local.provision.VolumeData;
import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;
import io.csi4j.backend.local.volume.VolumeType;
import io.csi4j.linux.LoopAttachment;
import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.LoopOptions;
import io.csi4j.linux.LoopStatus;
import io.csi4j.linux.FileStat;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.PathHandle;
import io.csi4j.linux.SyscallException;
import io.csi4j.spi.FailedPrecondition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that asks the kernel about a volume on this node (mountinfo, loop devices) and
 * compares it with what was recorded: staging, publication, health, expansion and the controller's
 * "is it in use" all ask here. Identity is by device and inode numbers, never by names, so a reused
 * device number or a renamed file is not mistaken for ours.
 */
public final class Kernel {

    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);
    /** How often a stacked mount is peeled off one target before giving up. */
    private static final int MAX_STACKED = 16;
    /** How long the node waits for the kernel to let go of a released loop device before it answers ABORTED. */
    static final Duration RELEASE_WAIT = Duration.ofSeconds(10);

    private final LocalLayout layout;

    public Kernel(LocalLayout layout) {
        this.layout = layout;
    }

    // --- records against the kernel -----------------------------------------------------------

    /** Why the volume's staging is not as recorded, if it is not. */
    Optional<String> stagingProblem(VolumeRecord record, NodeState state) {
        Optional<String> data = VolumeData.problem(layout, record);
        if (data.isPresent()) {
            return data;
        }
        Path staging = state.staging().orElseThrow();
        if (state.block()) {
            boolean attached = loops(record).stream().anyMatch(d -> !readOnly(d));
            return attached ? Optional.empty() : Optional.of("its image is no longer attached to a loop device");
        }
        Optional<MountInfo> mount = mountAt(staging);
        if (mount.isEmpty()) {
            return Optional.of("nothing is mounted at its staging path " + staging);
        }
        if (!shows(mount.get(), record)) {
            return Optional.of("the mount at " + staging + " is not this volume's "
                    + (record.type() == VolumeType.IMAGE ? "image (its loop device went away or was reused)" : "directory"));
        }
        return Optional.empty();
    }

    /** Why a publication is not as recorded, if it is not. */
    Optional<String> publicationProblem(VolumeRecord record, NodeState.Publication publication) {
        Optional<String> data = VolumeData.problem(layout, record);
        if (data.isPresent()) {
            return data;
        }
        Path target = publication.target();
        Optional<MountInfo> mount = mountAt(target);
        if (mount.isEmpty()) {
            return Optional.of("nothing is mounted at " + target);
        }
        if (publication.block()) {
            return isOurDevice(record, target) ? Optional.empty()
                    : Optional.of("the device at " + target + " is no longer this volume's loop device");
        }
        return shows(mount.get(), record) ? Optional.empty() : Optional.of("the mount at " + target + " is not this volume's");
    }

    /**
     * Why the volume is in use on this node, if it is: its image attached to a loop device, or its
     * directory mounted somewhere. Read from the kernel, not from any record, so it also sees
     * uses that a crash or an operator left behind.
     */
    public Optional<String> inUse(VolumeRecord record) {
        return switch (record.type()) {
            case IMAGE -> loops(record).stream().findFirst().map(device -> "its image is attached to " + device.path());
            case DIRECTORY -> directoryMount(layout.directory(record.id()))
                    .map(m -> "its directory is mounted at " + m.mountPoint());
        };
    }

    // --- loop devices ---------------------------------------------------------------------------

    /** The loop devices whose image is this volume's image file (none when the file is gone). */
    List<LoopDevice> loops(VolumeRecord record) {
        try {
            Optional<long[]> file = fileKey(layout.image(record.id()));
            if (file.isEmpty()) {
                return List.of();
            }
            List<LoopDevice> found = new ArrayList<>();
            for (LoopDevice device : LoopDevice.attached()) {
                if (backs(device, file.get())) {
                    found.add(device);
                }
            }
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the loop devices of volume " + record.id(), e);
        }
    }

    /** The read-write loop device that carries this volume's image, if one does. */
    Optional<LoopDevice> writableLoop(VolumeRecord record) throws SyscallException {
        for (LoopDevice device : loops(record)) {
            if (!device.status().readOnly()) {
                return Optional.of(device);
            }
        }
        return Optional.empty();
    }

    /** The loop device whose filesystem is mounted at exactly {@code mountPoint}. */
    static LoopDevice loopMountedAt(Path mountPoint) throws IOException {
        MountInfo mount = mountAt(mountPoint).orElseThrow();
        return LoopDevice.ofDevice(mount.major(), mount.minor()).orElseThrow();
    }

    /** Whether {@code device} carries this volume's image. */
    boolean carries(LoopDevice device, VolumeRecord record) {
        try {
            Optional<long[]> file = fileKey(layout.image(record.id()));
            return file.isPresent() && backs(device, file.get());
        } catch (IOException e) {
            return false;
        }
    }

    /** Whether the device node at {@code node} (a block publication's target) is one of the volume's loop devices. */
    boolean isOurDevice(VolumeRecord record, Path node) {
        return hasDevice(record, deviceOf(node));
    }

    /** Whether device number {@code dev} is one of the volume's loop devices. */
    boolean hasDevice(VolumeRecord record, long dev) {
        return loops(record).stream().anyMatch(d -> deviceOf(d.path()) == dev);
    }

    /** Attaches the volume's image; with direct I/O where the data directory's filesystem has it. */
    LoopAttachment attach(VolumeRecord record, boolean autoclear, boolean readOnly) throws SyscallException {
        Path image = layout.image(record.id());
        if (!Files.isRegularFile(image, LinkOption.NOFOLLOW_LINKS)) {
            throw new FailedPrecondition("the image file of volume " + record.id() + " is missing");
        }
        LoopOptions options = LoopOptions.defaults().withAutoclear(autoclear).withReadOnly(readOnly);
        try {
            return LoopDevice.attach(image, options.withDirectIo(true));
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.EINVAL) {
                throw e;
            }
            return LoopDevice.attach(image, options); // the data directory's filesystem has no direct I/O
        }
    }

    /**
     * Detaches the volume's loop devices that nothing mounts and no publication of {@code state}
     * holds, then waits until the kernel has let them go.
     *
     * @return the devices still attached when the wait ended; empty when all are gone
     */
    List<LoopDevice> detachUnused(VolumeRecord record, NodeState state) {
        for (LoopDevice device : loops(record)) {
            if (unused(device, state)) {
                detach(device);
            }
        }
        return awaitDetached(record, state);
    }

    /**
     * Waits, at most {@link #RELEASE_WAIT}, until the kernel has let go of the volume's unused loop
     * devices: autoclear and LOOP_CLR_FD finish at the last close, which is the unmount's unless
     * something else has the device open. Devices are looked for as DeleteVolume does, by the
     * image's name in sysfs (no open, so also while the kernel is tearing a device down), and by
     * device and inode numbers.
     *
     * @return the devices still attached when the wait ended; empty when all are gone
     */
    List<LoopDevice> awaitDetached(VolumeRecord record, NodeState state) {
        long deadline = System.nanoTime() + RELEASE_WAIT.toNanos();
        while (true) {
            List<LoopDevice> held = attachedUnused(record, state);
            if (held.isEmpty()) {
                return held;
            }
            if (System.nanoTime() > deadline) {
                LOG.warn("volume {}: {} still attached {} s after it was released", record.id(), held,
                        RELEASE_WAIT.toSeconds());
                return held;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return held;
            }
        }
    }

    private List<LoopDevice> attachedUnused(VolumeRecord record, NodeState state) {
        Set<LoopDevice> attached = new TreeSet<>(Comparator.comparingInt(LoopDevice::number));
        attached.addAll(loops(record));
        try {
            Path image = layout.image(record.id());
            if (Files.exists(image, LinkOption.NOFOLLOW_LINKS)) {
                attached.addAll(LoopDevice.find(image));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the loop devices of volume " + record.id(), e);
        }
        return attached.stream().filter(device -> unused(device, state)).toList();
    }

    /** Neither mounted nor held by a read-only block publication of {@code state} (which may be null). */
    private static boolean unused(LoopDevice device, NodeState state) {
        boolean published = state != null && state.publications().stream().anyMatch(p -> p.device() == device.number());
        return mountOf(device).isEmpty() && !published;
    }

    static void detach(LoopDevice device) {
        try {
            device.detach();
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.ENXIO) {
                throw new UncheckedIOException("cannot detach " + device.path(), e);
            }
        }
    }

    static boolean readOnly(LoopDevice device) {
        try {
            return device.status().readOnly();
        } catch (SyscallException e) {
            return false;
        }
    }

    static long size(LoopDevice device) {
        try {
            return device.sizeBytes();
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean backs(LoopDevice device, long[] file) {
        try {
            LoopStatus status = device.status();
            return status.backingDevice() == file[0] && status.backingInode() == file[1];
        } catch (SyscallException e) {
            return false; // detached meanwhile
        }
    }

    /** Device and inode numbers of a file, or empty when it does not exist. */
    private static Optional<long[]> fileKey(Path file) throws IOException {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        long dev = ((Number) Files.getAttribute(file, "unix:dev", LinkOption.NOFOLLOW_LINKS)).longValue();
        long ino = ((Number) Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
        return Optional.of(new long[] {dev, ino});
    }

    /**
     * The device number a device node (such as a block publication's target) stands for, or -1;
     * reached without a link, so a target swapped for one names no other device.
     */
    static long deviceOf(Path node) {
        try (PathHandle handle = PathHandle.open(node)) {
            FileStat stat = handle.stat();
            return stat.type() == FileStat.S_IFBLK ? stat.rdev() : -1;
        } catch (SyscallException e) {
            return -1;
        }
    }

    // --- mounts ---------------------------------------------------------------------------------

    /** The mount at exactly {@code path}, if something is mounted there (the topmost one). */
    static Optional<MountInfo> mountAt(Path path) {
        try {
            return MountTable.read().find(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
    }

    /** Every mount at exactly {@code path}, in the mount table's order (the one on top last). */
    static List<MountInfo> stackAt(Path path) {
        return mounts().stream().filter(m -> m.mountPoint().equals(path)).toList();
    }

    /** Every mount of this process's namespace, in the mount table's order. */
    static List<MountInfo> mounts() {
        try {
            return MountTable.read().mounts();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
    }

    /** The mount of {@code device}'s filesystem, if it is mounted anywhere. */
    static Optional<MountInfo> mountOf(LoopDevice device) {
        long dev = deviceOf(device.path());
        if (dev < 0) {
            return Optional.empty();
        }
        int major = (int) (((dev >>> 32) & 0xfffff000L) | ((dev >>> 8) & 0xfffL));
        int minor = (int) (((dev >>> 12) & 0xffffff00L) | (dev & 0xffL));
        try {
            return MountTable.read().mounts().stream().filter(m -> m.major() == major && m.minor() == minor).findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether {@code mount} shows this volume: for an image, a mount of a loop device carrying
     * it; for a directory, a bind of the volume's directory.
     */
    boolean shows(MountInfo mount, VolumeRecord record) {
        try {
            return switch (record.type()) {
                case IMAGE -> LoopDevice.ofDevice(mount.major(), mount.minor()).filter(d -> carries(d, record)).isPresent();
                case DIRECTORY -> place(layout.directory(record.id()))
                        .filter(p -> p.sameFilesystem(mount) && mount.root().equals(p.inside())).isPresent();
            };
        } catch (IOException e) {
            return false;
        }
    }

    /** Where the directory (or something inside it) is mounted, if anywhere. */
    private static Optional<MountInfo> directoryMount(Path dir) {
        try {
            return place(dir).flatMap(p -> p.table().mounts().stream()
                    .filter(m -> p.sameFilesystem(m))
                    .filter(m -> m.root().equals(p.inside()) || m.root().startsWith(p.inside() + "/"))
                    .findFirst());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot tell whether " + dir + " is mounted", e);
        }
    }

    /**
     * Where a directory lies in the mount table: the mount that holds it and its path inside that
     * filesystem. A bind mount of the directory shows the same filesystem with that path as its root.
     */
    private record Place(MountTable table, MountInfo home, String inside) {
        boolean sameFilesystem(MountInfo mount) {
            return mount.major() == home.major() && mount.minor() == home.minor();
        }
    }

    private static Optional<Place> place(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        Path real = dir.toRealPath();
        MountTable table = MountTable.read();
        return table.containing(real).map(home -> new Place(table, home,
                Path.of(home.root()).resolve(home.mountPoint().relativize(real)).toString()));
    }

    /**
     * Unmounts, top first, every mount at {@code path} that {@code ours} accepts, through the
     * handle of its parent (reached without a link) and never following a symlink at {@code path}
     * itself: nothing is unmounted through a link ({@link MountPoints#unmountChild}).
     */
    static void unmountAll(Path path, Predicate<MountInfo> ours) {
        Optional<PathHandle> opened = MountPoints.parentOf(path);
        if (opened.isEmpty()) {
            return; // its directory is gone: nothing can be mounted there
        }
        try (PathHandle parent = opened.get()) {
            for (int i = 0; i < MAX_STACKED; i++) {
                Optional<MountInfo> mount = mountAt(path);
                if (mount.isEmpty()) {
                    return;
                }
                if (!ours.test(mount.get())) {
                    throw new FailedPrecondition("something else is mounted at " + path + "; it is left alone");
                }
                try {
                    if (!MountPoints.unmountChild(parent, path)) {
                        return; // swapped for a link meanwhile, or gone: nothing of ours is reached through it
                    }
                } catch (SyscallException e) {
                    if (e.errno() == SyscallException.EBUSY) {
                        throw new FailedPrecondition("the volume at " + path + " is busy: a process still uses it");
                    }
                    throw new UncheckedIOException("cannot unmount " + path, e);
                }
            }
        }
        throw new FailedPrecondition("more than " + MAX_STACKED + " mounts are stacked at " + path);
    }
}
