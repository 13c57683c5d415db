/**
 * Snapshots and group snapshots: copies of volume data with records of their own, taken with the
 * source filesystems frozen ({@link io.csi4j.backend.local.snapshot.Freezer}). It serves the
 * provision package's restores and clones through its {@code Restores} interface.
 */
package io.csi4j.backend.local.snapshot;
