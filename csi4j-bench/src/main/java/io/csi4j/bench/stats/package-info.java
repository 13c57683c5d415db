/**
 * What a benchmark measured: per-RPC latency histograms and error counts by gRPC code, taken while
 * the workload runs ({@link io.csi4j.bench.stats.Recorder}), summed up as plain records
 * ({@link io.csi4j.bench.stats.Report}) and printed as a table or as JSON.
 */
package io.csi4j.bench.stats;
