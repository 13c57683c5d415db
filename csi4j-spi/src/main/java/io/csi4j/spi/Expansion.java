package io.csi4j.spi;

/**
 * The outcome of growing a volume on the controller side.
 *
 * @param nodeExpansionRequired whether each node using it must also act (grow a filesystem,
 *                              refresh a device)
 */
public record Expansion(long capacityBytes, boolean nodeExpansionRequired) {}
