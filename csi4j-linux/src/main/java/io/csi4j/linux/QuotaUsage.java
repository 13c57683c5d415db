package io.csi4j.linux;

/**
 * A project's quota: what it uses and its limits, in bytes; a limit of 0 means none.
 *
 * @param usedBytes      space charged to the project
 * @param hardLimitBytes writes past this fail
 * @param softLimitBytes past this, a grace period starts
 * @param usedInodes     files and directories charged to the project
 */
public record QuotaUsage(long usedBytes, long hardLimitBytes, long softLimitBytes, long usedInodes) {}
