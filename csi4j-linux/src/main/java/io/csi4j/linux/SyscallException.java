package io.csi4j.linux;

import java.io.IOException;

/** A system call failed; {@link #errno()} says how, the message names the call and its subject. */
public final class SyscallException extends IOException {

    private final int errno;

    SyscallException(String call, String subject, int errno) {
        super(call + "(" + subject + "): " + LibC.describe(errno) + " (errno " + errno + ")");
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    /** The errno values csi4j tells apart. */
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int ENOTDIR = 20;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int EDQUOT = 122;
}
