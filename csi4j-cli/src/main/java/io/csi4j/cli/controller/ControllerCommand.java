package io.csi4j.cli.controller;

import picocli.CommandLine.Command;

/**
 * {@code controller create-volume|delete-volume|list-volumes|get-volume|validate|capacity|capabilities|expand|
 * create-snapshot|delete-snapshot|list-snapshots|get-snapshot}.
 */
@Command(name = "controller", description = "Calls to the CSI Controller service.", mixinStandardHelpOptions = true,
        subcommands = {CreateVolumeCommand.class, DeleteVolumeCommand.class, ListVolumesCommand.class,
                GetVolumeCommand.class, ValidateCommand.class, CapacityCommand.class, ControllerCapabilitiesCommand.class,
                ExpandVolumeCommand.class, CreateSnapshotCommand.class, DeleteSnapshotCommand.class,
                ListSnapshotsCommand.class, GetSnapshotCommand.class})
public final class ControllerCommand {
}
