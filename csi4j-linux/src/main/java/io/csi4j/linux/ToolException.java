package io.csi4j.linux;

import java.io.IOException;

/**
 * A system tool (mkfs, fsck) could not be run, did not finish, or failed. Carries what an
 * operator needs to act without rerunning it: the exit code and the last lines of its output.
 */
public final class ToolException extends IOException {

    /** Why the tool gave no usable answer. */
    public enum Reason {
        /** Not installed in any of the directories searched. */
        NOT_FOUND,
        /** Killed after its timeout (or when the caller was interrupted). */
        TIMED_OUT,
        /** Exited with a code that means it failed. */
        FAILED
    }

    private final Reason reason;
    private final String tool;
    private final int exitCode;
    private final String output;

    ToolException(Reason reason, String tool, int exitCode, String output, String message) {
        super(output.isEmpty() ? message : message + ":\n" + output);
        this.reason = reason;
        this.tool = tool;
        this.exitCode = exitCode;
        this.output = output;
    }

    static ToolException failed(String tool, Tool.Result r) {
        return new ToolException(Reason.FAILED, tool, r.exitCode(), r.output(), tool + " failed with exit code " + r.exitCode());
    }

    public Reason reason() {
        return reason;
    }

    /** The tool's name ({@code mkfs.ext4}). */
    public String tool() {
        return tool;
    }

    /** The exit code, or -1 when the tool did not exit on its own (not found, killed). */
    public int exitCode() {
        return exitCode;
    }

    /** The last lines of its output, at most {@link Tool#TAIL_BYTES} bytes. */
    public String output() {
        return output;
    }
}
