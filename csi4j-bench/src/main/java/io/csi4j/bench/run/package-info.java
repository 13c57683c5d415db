/**
 * Running a workload: timed CSI calls that record what they made in the journal
 * ({@link io.csi4j.bench.run.Csi}), worker threads bounded by a count or a duration
 * ({@link io.csi4j.bench.run.Runner}), Ctrl-C, and the cleanup that removes whatever a journal
 * lists ({@link io.csi4j.bench.run.Cleaner}).
 */
package io.csi4j.bench.run;
