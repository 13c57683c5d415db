/**
 * The local backend: volumes on the node's own disks, under the driver's data directory. Today
 * it checks that the data directory is usable; volumes arrive with the controller and node work.
 */
package io.csi4j.backend.local;
