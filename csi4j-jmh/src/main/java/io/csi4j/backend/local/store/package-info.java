/**
 * Benchmarks of the local backend's records: written as CreateVolume writes them, and only
 * serialised. In the package they measure, so they reach its package-private types.
 */
package io.csi4j.backend.local.store;
