package io.vmsup.config.impl;

/**
 * One option of the QEMU command line rendered from options: {@code flag} (e.g. {@code -device}) and its text.
 *
 * @param flag the option, with its dash
 * @param opts its value
 */
public record QemuArg(String flag, QemuOpts opts) {
}
