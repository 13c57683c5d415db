/** Client commands for the CSI Identity service. */
package io.csi4j.cli.identity;
