package io.csi4j.backend.local.node;

import io.csi4j.backend.local.store.VolumeRecord;
import io.csi4j.backend.local.volume.LocalLayout;

import io.csi4j.linux.LoopDevice;
import io.csi4j.linux.LoopStatus;
import io.csi4j.linux.MountInfo;
import io.csi4j.linux.MountTable;
import io.csi4j.linux.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the kernel says about a volume's data on this node: which loop devices carry its image,
 * and whether a mount shows its filesystem or directory. Identity is by device and inode
 * numbers, never by names, so a reused device number or a renamed file is not mistaken for ours.
 */
public final class VolumeDevices {

    private final LocalLayout layout;

    public VolumeDevices(LocalLayout layout) {
        this.layout = layout;
    }

    /** The loop devices whose image is this volume's image file (none when the file is gone). */
    public List<LoopDevice> loops(VolumeRecord record) {
        Path image = layout.image(record.id());
        try {
            Optional<long[]> file = fileKey(image);
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

    /** Whether {@code device} carries this volume's image. */
    public boolean carries(LoopDevice device, VolumeRecord record) {
        try {
            Optional<long[]> file = fileKey(layout.image(record.id()));
            return file.isPresent() && backs(device, file.get());
        } catch (IOException e) {
            return false;
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
     * Whether {@code mount} shows this volume: for an image, a mount of a loop device carrying
     * it; for a directory, a bind of the volume's directory.
     */
    public boolean shows(MountInfo mount, VolumeRecord record) {
        try {
            return switch (record.type()) {
                case IMAGE -> LoopDevice.ofDevice(mount.major(), mount.minor())
                        .filter(device -> carries(device, record)).isPresent();
                case DIRECTORY -> showsDirectory(mount, layout.directory(record.id()));
            };
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean showsDirectory(MountInfo mount, Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Path real = dir.toRealPath();
        Optional<MountInfo> home = MountTable.read().containing(real);
        if (home.isEmpty() || home.get().major() != mount.major() || home.get().minor() != mount.minor()) {
            return false;
        }
        String inside = Path.of(home.get().root()).resolve(home.get().mountPoint().relativize(real)).toString();
        return mount.root().equals(inside);
    }

    /** The mount at exactly {@code path}, if something is mounted there (the topmost one). */
    public static Optional<MountInfo> mountAt(Path path) {
        try {
            return MountTable.read().find(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mount table", e);
        }
    }

    /** The device number a device node (such as a block publication's target) stands for, or -1. */
    public static long deviceOf(Path node) {
        try {
            return ((Number) Files.getAttribute(node, "unix:rdev")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The device number of /dev/loopN, or -1 when it has none. */
    public static long deviceOf(LoopDevice device) {
        return deviceOf(device.path());
    }
}
