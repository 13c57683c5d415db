/** Client commands for the CSI Node service. */
package io.csi4j.cli.node;
