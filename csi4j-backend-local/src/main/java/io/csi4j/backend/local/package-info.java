/**
 * The local backend: volumes on the node's own disks, under the driver's data directory.
 * {@link io.csi4j.backend.local.LocalBackend} opens the data directory and wires the packages below,
 * which depend one way only: {@code node} and {@code snapshot} on {@code provision}, that on
 * {@code store}, that on {@code volume}.
 */
package io.csi4j.backend.local;
