/**
 * The journal of what a benchmark made on a driver, so that it can always be removed: after a
 * normal run, after Ctrl-C, and after a {@code kill -9} (with {@code bench cleanup}). CSI's
 * ListVolumes returns no names, so a driver cannot be asked which volumes are ours: the journal
 * is the only record of them.
 */
package io.csi4j.bench.journal;
