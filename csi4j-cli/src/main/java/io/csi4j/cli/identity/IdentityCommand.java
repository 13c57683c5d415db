package io.csi4j.cli.identity;

import picocli.CommandLine.Command;

/** {@code identity info|probe|capabilities}. */
@Command(name = "identity", description = "Calls to the CSI Identity service.", mixinStandardHelpOptions = true,
        subcommands = {PluginInfoCommand.class, ProbeCommand.class, PluginCapabilitiesCommand.class})
public final class IdentityCommand {
}
