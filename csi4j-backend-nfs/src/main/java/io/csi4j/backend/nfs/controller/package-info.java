/**
 * The controller side: volumes made, found, listed and removed as subdirectories of a share,
 * without mounting anything (NFS through libnfs; shared paths locally). Which volume owns which
 * subdirectory is recorded on the share itself, as claims, so any controller replica can answer.
 */
package io.csi4j.backend.nfs.controller;
