package io.csi4j.linux;

/**
 * Whether project quotas can be used on a filesystem, and if not, why, in words fit for a log
 * line or an error returned to a user.
 */
public record QuotaSupport(boolean supported, String reason) {

    static QuotaSupport yes(String how) {
        return new QuotaSupport(true, how);
    }

    static QuotaSupport no(String why) {
        return new QuotaSupport(false, why);
    }
}
