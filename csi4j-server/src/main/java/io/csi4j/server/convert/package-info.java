/** Conversions between the CSI protocol messages and the backend SPI's plain Java values. */
package io.csi4j.server.convert;
