/**
 * The controller side: creating, growing, listing and deleting volumes and their data, room
 * accounting ({@link io.csi4j.backend.local.provision.Room}) and directory capacity enforcement
 * ({@link io.csi4j.backend.local.provision.CapacityEnforcer}). Restores and clones copy through
 * {@link io.csi4j.backend.local.provision.VolumeCopies} and reach the snapshot side only through
 * {@link io.csi4j.backend.local.provision.Restores}.
 */
package io.csi4j.backend.local.provision;
