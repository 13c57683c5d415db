/**
 * What a local volume is, before anything is stored or done: its ID and its snapshots' IDs, its
 * type and StorageClass parameters, where its files lie under the data directory, and the
 * per-volume locks. Everything here is a value or a pure check; it depends on nothing else of
 * the backend.
 */
package io.csi4j.backend.local.volume;
