/**
 * Benchmarks of the local backend's hot paths (volume IDs, records), in its package so that they
 * reach its package-private types without widening them.
 */
package io.csi4j.backend.local.store;
