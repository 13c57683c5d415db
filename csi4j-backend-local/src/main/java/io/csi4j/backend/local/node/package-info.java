/**
 * The node side: staging, publication, raw block, ephemeral inline volumes, usage and health,
 * expansion, one class each, all comparing what they recorded with what the kernel says through
 * {@link io.csi4j.backend.local.node.Kernel}, the one place that reads mountinfo and loop devices.
 * A repeated call that finds the two apart (a crash, a reboot) repairs instead of failing.
 */
package io.csi4j.backend.local.node;
