/**
 * The records the driver keeps of volumes, snapshots and groups, and the one interface they are
 * kept through ({@link io.csi4j.backend.local.store.RecordStore}): today a small file per record,
 * replaced atomically. Paging through records kept by UUID lives here too.
 */
package io.csi4j.backend.local.store;
