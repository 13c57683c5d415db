package io.csi4j.cli.group;

import picocli.CommandLine.Command;

/** {@code group create-snapshot|delete-snapshot|get-snapshot|capabilities}. */
@Command(name = "group", description = "Calls to the CSI GroupController service (group snapshots).",
        mixinStandardHelpOptions = true,
        subcommands = {CreateGroupSnapshotCommand.class, DeleteGroupSnapshotCommand.class, GetGroupSnapshotCommand.class,
                GroupCapabilitiesCommand.class})
public final class GroupCommand {
}
