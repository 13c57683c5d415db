package io.csi4j.cli.controller;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A stand-in for the driver's root command: just {@code --endpoint} and the controller group. */
@Command(name = "csi4j", subcommands = ControllerCommand.class)
final class TestRoot {

    @Option(names = "--endpoint")
    String endpoint;
}
