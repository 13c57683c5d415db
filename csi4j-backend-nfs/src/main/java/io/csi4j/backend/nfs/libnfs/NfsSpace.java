package io.csi4j.backend.nfs.libnfs;

/** What statvfs says of an export, in bytes and inodes. */
public record NfsSpace(long totalBytes, long freeBytes, long availableBytes, long totalInodes, long freeInodes) {}
