package io.csi4j.cli.node;

import picocli.CommandLine.Command;

/** {@code node info|capabilities}; the volume commands follow with the node work. */
@Command(name = "node", description = "Calls to the CSI Node service.", mixinStandardHelpOptions = true,
        subcommands = {NodeInfoCommand.class, NodeCapabilitiesCommand.class})
public final class NodeCommand {
}
