package io.csi4j.linux;

/**
 * How {@link LoopDevice#attach} sets up a loop device.
 *
 * @param readOnly  the device refuses writes, and the image is opened read-only
 * @param autoclear the device detaches itself when its last user closes it ({@code LO_FLAGS_AUTOCLEAR})
 * @param directIo  ask for direct I/O on the image, bypassing the page cache twice over; the
 *                  kernel may refuse it silently, so {@link LoopStatus#directIo()} tells what it did
 * @param blockSize the logical block size (512 to the page size, a power of two), or 0 for the kernel's choice
 */
public record LoopOptions(boolean readOnly, boolean autoclear, boolean directIo, int blockSize) {

    public LoopOptions {
        if (blockSize != 0 && (blockSize < 512 || Integer.bitCount(blockSize) != 1)) {
            throw new IllegalArgumentException("block size must be 0 or a power of two >= 512: " + blockSize);
        }
    }

    /** Read-write, no autoclear, buffered I/O, the kernel's block size. */
    public static LoopOptions defaults() {
        return new LoopOptions(false, false, false, 0);
    }

    public LoopOptions withReadOnly(boolean readOnly) {
        return new LoopOptions(readOnly, autoclear, directIo, blockSize);
    }

    public LoopOptions withAutoclear(boolean autoclear) {
        return new LoopOptions(readOnly, autoclear, directIo, blockSize);
    }

    public LoopOptions withDirectIo(boolean directIo) {
        return new LoopOptions(readOnly, autoclear, directIo, blockSize);
    }

    public LoopOptions withBlockSize(int blockSize) {
        return new LoopOptions(readOnly, autoclear, directIo, blockSize);
    }
}
