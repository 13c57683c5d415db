package io.csi4j.cli;

import io.csi4j.cli.controller.ControllerCommand;
import io.csi4j.cli.group.GroupCommand;
import io.csi4j.cli.node.NodeCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A stand-in for the driver's root command: just {@code --endpoint} and the controller, node and group commands. */
@Command(name = "csi4j", subcommands = {ControllerCommand.class, NodeCommand.class, GroupCommand.class})
final class TestRoot {

    @Option(names = "--endpoint")
    String endpoint;
}
