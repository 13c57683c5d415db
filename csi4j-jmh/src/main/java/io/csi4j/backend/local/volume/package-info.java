/**
 * Benchmarks of the local backend's volume IDs, made for every new volume and parsed on every
 * call that names one. In the package they measure, so they reach its package-private types.
 */
package io.csi4j.backend.local.volume;
