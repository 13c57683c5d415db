/** Client commands for the CSI GroupController service: group snapshots. */
package io.csi4j.cli.group;
