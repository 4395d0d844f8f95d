package io.vmsup.config;

import java.util.Optional;

/**
 * Direct kernel boot: {@code -kernel}, {@code -initrd}, {@code -append}.
 *
 * @param path    absolute path of the kernel image
 * @param initrd  absolute path of the initial ramdisk
 * @param cmdline kernel command line
 */
public record Kernel(String path, Optional<String> initrd, Optional<String> cmdline) {
}
