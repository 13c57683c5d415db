package io.csi4j.cli.node;

import picocli.CommandLine.Command;

/** {@code node info|capabilities|stage|unstage|publish|unpublish|stats|expand}. */
@Command(name = "node", description = "Calls to the CSI Node service.", mixinStandardHelpOptions = true,
        subcommands = {NodeInfoCommand.class, NodeCapabilitiesCommand.class, StageCommand.class, UnstageCommand.class,
                PublishCommand.class, UnpublishCommand.class, StatsCommand.class, ExpandCommand.class})
public final class NodeCommand {
}
