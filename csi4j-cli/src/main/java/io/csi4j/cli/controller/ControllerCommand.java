package io.csi4j.cli.controller;

import picocli.CommandLine.Command;

/** {@code controller capabilities}; the volume commands follow with the controller work. */
@Command(name = "controller", description = "Calls to the CSI Controller service.", mixinStandardHelpOptions = true,
        subcommands = {ControllerCapabilitiesCommand.class})
public final class ControllerCommand {
}
