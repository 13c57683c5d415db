/** Benchmarks of the Linux layer: parsing the mount table. */
package io.csi4j.linux;
