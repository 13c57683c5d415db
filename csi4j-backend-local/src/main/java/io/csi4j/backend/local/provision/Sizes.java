package io.csi4j.backend.local.provision;

import io.csi4j.linux.FileSystemStats;
import io.csi4j.spi.CapacityOutOfRange;
import io.csi4j.spi.CapacityRange;

/**
 * The size a volume gets: what was asked (or the default), rounded up to whole blocks of the data
 * directory's filesystem, within the caller's range and the largest volume this node offers.
 */
final class Sizes {

    private final long maxVolumeBytes;

    /** @param maxVolumeBytes the largest volume offered, or 0 for the data directory's size */
    Sizes(long maxVolumeBytes) {
        this.maxVolumeBytes = maxVolumeBytes;
    }

    long maxVolume(FileSystemStats fs) {
        return maxVolumeBytes > 0 ? maxVolumeBytes : fs.totalBytes();
    }

    /** The size of a new volume made from a source of {@code sourceBytes} (0 for none). */
    long of(CapacityRange range, Access access, FileSystemStats fs, long sourceBytes) {
        if (sourceBytes > 0 && !range.hasRequired()) {
            // Without a size asked for, a copy is as large as its source.
            range = new CapacityRange(sourceBytes, range.limitBytes());
        }
        if (sourceBytes > 0 && range.hasLimit() && range.limitBytes() < sourceBytes) {
            throw new CapacityOutOfRange("the source holds " + sourceBytes + " bytes, more than the limit of "
                    + range.limitBytes());
        }
        if (sourceBytes > 0 && range.requiredBytes() < sourceBytes) {
            throw new CapacityOutOfRange("the source holds " + sourceBytes + " bytes, more than the "
                    + range.requiredBytes() + " asked for");
        }
        return of(range, access, fs);
    }

    private long of(CapacityRange range, Access access, FileSystemStats fs) {
        if (range.hasRequired() && range.hasLimit() && range.limitBytes() < range.requiredBytes()) {
            throw new CapacityOutOfRange("the capacity limit " + range.limitBytes() + " is below the required "
                    + range.requiredBytes() + " bytes");
        }
        long block = blockSize(fs);
        boolean xfs = !access.block() && access.fsType().equals("xfs");
        long minimum = xfs ? LocalProvisioner.XFS_MINIMUM : block; // mkfs.xfs refuses smaller devices
        long wanted = range.hasRequired() ? range.requiredBytes() : LocalProvisioner.DEFAULT_SIZE;
        long max = maxVolume(fs);
        if (range.hasRequired() && wanted > max) { // checked before rounding, which could overflow
            throw new CapacityOutOfRange(wanted + " bytes exceed the largest volume this node offers (" + max + " bytes)");
        }
        long size = Math.ceilDiv(Math.max(wanted, minimum), block) * block;
        if (range.hasLimit() && size > range.limitBytes()) {
            // With only a limit, any size up to it will do: take the largest whole-block one.
            long fitting = range.limitBytes() / block * block;
            if (range.hasRequired() || fitting < minimum) {
                long smallest = range.hasRequired() ? size : Math.ceilDiv(minimum, block) * block;
                throw new CapacityOutOfRange("the smallest volume that fits (" + smallest + " bytes"
                        + (xfs ? ", xfs needs 300 MiB" : ", in whole " + block + "-byte blocks")
                        + ") exceeds the limit of " + range.limitBytes() + " bytes");
            }
            size = fitting;
        }
        if (size > max) {
            throw new CapacityOutOfRange(size + " bytes exceed the largest volume this node offers (" + max + " bytes)");
        }
        return size;
    }

    /**
     * The size volume {@code volumeId} of {@code current} bytes grows to for {@code range} (which
     * requires a size): {@code current} when it has it already. Volumes never shrink.
     */
    long grown(String volumeId, long current, CapacityRange range, FileSystemStats fs) {
        long block = blockSize(fs);
        long size = Math.ceilDiv(range.requiredBytes(), block) * block;
        if (size < current) {
            throw new CapacityOutOfRange("volume " + volumeId + " has " + current + " bytes; it cannot shrink to "
                    + range.requiredBytes());
        }
        if (size > current && (size > maxVolume(fs) || (range.hasLimit() && size > range.limitBytes()))) {
            throw new CapacityOutOfRange(size + " bytes exceed the largest volume this node offers ("
                    + Math.min(maxVolume(fs), range.hasLimit() ? range.limitBytes() : Long.MAX_VALUE) + " bytes)");
        }
        return size;
    }

    private static long blockSize(FileSystemStats fs) {
        return Math.max(fs.blockSize(), 512);
    }
}
