package io.csi4j.spi;

/**
 * The answer to a {@link CapacityQuery}, in bytes; 0 for a maximum or minimum means "not
 * reported".
 */
public record CapacityReport(long availableBytes, long maximumVolumeSize, long minimumVolumeSize) {}
