/**
 * The workloads: {@code create-delete}, {@code lifecycle}, {@code snapshot}, {@code list} and
 * {@code fill}. Each speaks only the CSI protocol, through {@link io.csi4j.bench.run.Csi}, so it
 * runs against any driver.
 */
package io.csi4j.bench.workload;
