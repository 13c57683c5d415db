package io.csi4j.linux;

import java.util.OptionalLong;

/**
 * A btrfs qgroup's accounting as of the last transaction commit ({@link Btrfs#sync} first for
 * current figures).
 *
 * @param qgroupId        the qgroup ({@code 0/ID} for a subvolume: its ID)
 * @param referencedBytes data reachable from the subvolume, shared or not
 * @param exclusiveBytes  data only this subvolume references
 * @param referencedLimit the limit on {@code referencedBytes}, if one is set
 */
public record QgroupUsage(long qgroupId, long referencedBytes, long exclusiveBytes, OptionalLong referencedLimit) {}
