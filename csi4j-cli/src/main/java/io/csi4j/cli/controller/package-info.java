/** Client commands for the CSI Controller service. */
package io.csi4j.cli.controller;
