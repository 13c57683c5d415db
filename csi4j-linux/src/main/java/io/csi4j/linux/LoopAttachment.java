package io.csi4j.linux;

/**
 * A loop device just attached by {@link LoopDevice#attach}, still held open. With
 * {@link LoopOptions#autoclear()} the device detaches itself when its last user closes it, so
 * close this only after whatever keeps it busy (a mount) is in place; closing right away
 * detaches it at once. Without autoclear, closing changes nothing but the open descriptor.
 */
public final class LoopAttachment implements AutoCloseable {

    private final LoopDevice device;
    private final LoopStatus status;
    private final Fd fd;
    private boolean closed;

    LoopAttachment(LoopDevice device, LoopStatus status, Fd fd) {
        this.device = device;
        this.status = status;
        this.fd = fd;
    }

    public LoopDevice device() {
        return device;
    }

    /** The status right after attaching: tells whether direct I/O and read-only took effect. */
    public LoopStatus status() {
        return status;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            fd.close();
        }
    }

    @Override
    public String toString() {
        return device + " " + status;
    }
}
