/**
 * {@code csi4j bench}: drives any CSI driver's socket with a workload and reports throughput and
 * latency per RPC, so drivers can be compared on one machine in one run. One picocli command per
 * workload over shared options, and {@code bench cleanup} for runs cut short by {@code kill -9}.
 * It speaks only the CSI protocol (and uses the CLI's protocol-only option helpers).
 */
package io.csi4j.bench;
