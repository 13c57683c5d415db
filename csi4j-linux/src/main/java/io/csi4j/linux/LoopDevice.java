package io.csi4j.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A loop device, {@code /dev/loopN}: a block device backed by an image file. Attached through
 * {@code /dev/loop-control} and LOOP_CONFIGURE (one atomic call, Linux 5.8+), inspected through
 * sysfs, which needs no open descriptor (opening and closing an autoclear device that nothing else
 * holds would detach it).
 *
 * @param number N of /dev/loopN
 */
public record LoopDevice(int number) {

    // <linux/loop.h>: ioctl numbers 0x4Cxx ('L').
    static final long LOOP_CLR_FD = 0x4C01, LOOP_GET_STATUS64 = 0x4C05, LOOP_SET_CAPACITY = 0x4C07,
            LOOP_CONFIGURE = 0x4C0A, LOOP_CTL_GET_FREE = 0x4C82;

    // struct loop_config { __u32 fd; __u32 block_size; struct loop_info64 info; __u64 __reserved[8]; }
    static final long CONFIG_SIZE = 304, CONFIG_FD = 0, CONFIG_BLOCK_SIZE = 4, CONFIG_INFO = 8;

    private static final Path CONTROL = Path.of("/dev/loop-control");
    private static final Path SYS_BLOCK = Path.of("/sys/block");
    private static final int LOOP_MAJOR = 7, S_IFBLK = 0x6000;
    // Another process may configure the free device between our GET_FREE and CONFIGURE.
    private static final int ATTEMPTS = 16;

    public LoopDevice {
        if (number < 0) {
            throw new IllegalArgumentException("loop device number " + number);
        }
    }

    /** The loop device at a path such as {@code /dev/loop3}. */
    public static LoopDevice of(Path device) {
        String name = device.getFileName().toString();
        if (!name.startsWith("loop") || name.length() == 4 || !name.substring(4).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(device + " is not a loop device");
        }
        return new LoopDevice(Integer.parseInt(name.substring(4)));
    }

    public Path path() {
        return Path.of("/dev/loop" + number);
    }

    /**
     * Attaches {@code image} to a free loop device. The returned attachment holds the device open;
     * see {@link LoopAttachment} for when to close it.
     */
    public static LoopAttachment attach(Path image, LoopOptions options) throws SyscallException {
        try {
            return attachOnce(image, options);
        } catch (SyscallException | RuntimeException e) {
            ToolRuns.listener().loopAttachFailed();
            throw e;
        }
    }

    private static LoopAttachment attachOnce(Path image, LoopOptions options) throws SyscallException {
        Path file = image.toAbsolutePath().normalize();
        try (Fd backing = Fd.open(file, options.readOnly() ? Fd.O_RDONLY : Fd.O_RDWR);
             Fd control = Fd.open(CONTROL, Fd.O_RDWR);
             Arena arena = Arena.ofConfined()) {
            MemorySegment config = config(arena, backing.value(), file, options);
            for (int attempt = 1; ; attempt++) {
                LoopDevice device = new LoopDevice(control.ioctl("LOOP_CTL_GET_FREE", LOOP_CTL_GET_FREE, 0L));
                device.ensureNode();
                Fd fd = Fd.open(device.path(), Fd.O_RDWR);
                try {
                    fd.ioctl("LOOP_CONFIGURE", LOOP_CONFIGURE, config);
                } catch (SyscallException e) {
                    fd.close();
                    if (e.errno() != SyscallException.EBUSY || attempt == ATTEMPTS) {
                        throw e;
                    }
                    continue;
                }
                try {
                    return new LoopAttachment(device, status(fd), fd);
                } catch (SyscallException | RuntimeException e) {
                    // Configured but unusable: give the device back rather than leak it.
                    try {
                        device.detach();
                    } catch (SyscallException ignored) {
                        // autoclear, or already gone
                    }
                    fd.close();
                    throw e;
                }
            }
        }
    }

    static MemorySegment config(Arena arena, int backingFd, Path file, LoopOptions options) {
        MemorySegment config = arena.allocate(CONFIG_SIZE, 8);
        config.set(ValueLayout.JAVA_INT, CONFIG_FD, backingFd);
        config.set(ValueLayout.JAVA_INT, CONFIG_BLOCK_SIZE, options.blockSize());
        int flags = (options.readOnly() ? LoopStatus.LO_FLAGS_READ_ONLY : 0)
                | (options.autoclear() ? LoopStatus.LO_FLAGS_AUTOCLEAR : 0)
                | (options.directIo() ? LoopStatus.LO_FLAGS_DIRECT_IO : 0);
        config.set(ValueLayout.JAVA_INT, CONFIG_INFO + LoopStatus.LO_FLAGS, flags);
        // The name LOOP_GET_STATUS64 reports (losetup shows it); the kernel keeps 63 bytes of it.
        byte[] name = file.toString().getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(name, 0, config, ValueLayout.JAVA_BYTE, CONFIG_INFO + LoopStatus.LO_FILE_NAME,
                Math.min(name.length, LoopStatus.LO_NAME_SIZE - 1));
        return config;
    }

    /**
     * The loop device with device number {@code major:minor} (as the mount table shows it), or
     * empty when that device is no loop device.
     */
    public static Optional<LoopDevice> ofDevice(int major, int minor) throws IOException {
        Path dir = Path.of("/sys/dev/block/" + major + ":" + minor);
        if (!Files.isDirectory(dir.resolve("loop"))) {
            return Optional.empty();
        }
        String name = dir.toRealPath().getFileName().toString();
        if (!name.startsWith("loop") || name.length() == 4 || !name.substring(4).chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(new LoopDevice(Integer.parseInt(name.substring(4))));
    }

    /** The loop devices whose image is {@code image} (an image may be attached more than once). */
    public static List<LoopDevice> find(Path image) throws IOException {
        Path real = image.toRealPath();
        List<LoopDevice> found = new ArrayList<>();
        for (LoopDevice device : attached()) {
            if (device.backingFile().filter(real::equals).isPresent()) {
                found.add(device);
            }
        }
        return found;
    }

    /** Every loop device with an image attached. */
    public static List<LoopDevice> attached() throws IOException {
        List<LoopDevice> devices = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(SYS_BLOCK, "loop*")) {
            for (Path dir : dirs) {
                String n = dir.getFileName().toString().substring(4);
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit) && Files.exists(dir.resolve("loop"))) {
                    devices.add(new LoopDevice(Integer.parseInt(n)));
                }
            }
        }
        devices.sort((a, b) -> Integer.compare(a.number, b.number));
        return devices;
    }

    /**
     * The image attached to this device, empty when none is. A deleted image shows as its old
     * path with {@code " (deleted)"} appended, as the kernel reports it.
     */
    public Optional<Path> backingFile() throws IOException {
        return sysfs("loop/backing_file").map(Path::of);
    }

    public boolean isAttached() throws IOException {
        return backingFile().isPresent();
    }

    /** The device's size in bytes (0 when detached). */
    public long sizeBytes() throws IOException {
        return sysfs("size").map(sectors -> Long.parseLong(sectors) * 512).orElse(0L);
    }

    /** The kernel's view of the device: flags (direct I/O, read-only, autoclear), offsets, image. */
    public LoopStatus status() throws SyscallException {
        try (Fd fd = Fd.open(path(), Fd.O_RDONLY)) {
            return status(fd);
        }
    }

    private static LoopStatus status(Fd fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(LoopStatus.SIZE, 8);
            fd.ioctl("LOOP_GET_STATUS64", LOOP_GET_STATUS64, info);
            return LoopStatus.decode(info);
        }
    }

    /** Makes the device take on the image's current size, after the image grew (LOOP_SET_CAPACITY). */
    public void setCapacity() throws SyscallException {
        try (Fd fd = Fd.open(path(), Fd.O_RDONLY)) {
            fd.ioctl("LOOP_SET_CAPACITY", LOOP_SET_CAPACITY, 0L);
        }
    }

    /**
     * Detaches the image (LOOP_CLR_FD). While the device is still open elsewhere (mounted), the
     * kernel only marks it to detach on last close; {@code ENXIO} means nothing was attached.
     */
    public void detach() throws SyscallException {
        try (Fd fd = Fd.open(path(), Fd.O_RDONLY)) {
            fd.ioctl("LOOP_CLR_FD", LOOP_CLR_FD, 0L);
        }
    }

    /** Creates /dev/loopN when the kernel made the device but nothing (devtmpfs, udev) made its node. */
    private void ensureNode() throws SyscallException {
        Path node = path();
        if (Files.exists(node)) {
            return;
        }
        long dev = deviceNumber();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment name = arena.allocateFrom(node.toString());
            LibC.call(arena, "mknod", node, state -> (int) LibC.MKNOD.invokeExact(state, name, S_IFBLK | 0660, dev));
        } catch (SyscallException e) {
            if (e.errno() != SyscallException.EEXIST) { // devtmpfs got there first
                throw e;
            }
        }
    }

    /** The device's dev_t from sysfs (minors skip numbers when loop has max_part set), else 7:N. */
    private long deviceNumber() {
        int major = LOOP_MAJOR, minor = number;
        try {
            Optional<String> dev = sysfs("dev");
            if (dev.isPresent()) {
                String[] mm = dev.get().split(":");
                major = Integer.parseInt(mm[0]);
                minor = Integer.parseInt(mm[1]);
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the classic numbering
        }
        return LibC.makedev(major, minor);
    }

    private Optional<String> sysfs(String attribute) throws IOException {
        try {
            String text = Files.readString(SYS_BLOCK.resolve("loop" + number).resolve(attribute));
            // Only the newline goes: a path may end in spaces.
            return Optional.of(text.endsWith("\n") ? text.substring(0, text.length() - 1) : text);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            // ENODEV/ENXIO, at open or at read: the device is being torn down (autoclear) while we
            // read it, so it is no longer attached.
            String why = e instanceof java.nio.file.FileSystemException fs ? fs.getReason() : e.getMessage();
            if ("No such device".equals(why) || "No such device or address".equals(why)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public String toString() {
        return path().toString();
    }
}
