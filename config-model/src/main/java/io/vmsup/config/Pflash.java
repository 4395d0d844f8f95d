package io.vmsup.config;

/**
 * A firmware flash image (pc/q35): {@code -blockdev ...,node-name=pflashN} plus {@code -machine pflashN=pflashN}.
 * The list index is the unit (0 = code, 1 = variables), at most two.
 *
 * @param file     absolute path of the image
 * @param format   image format, default raw
 * @param readOnly open read-only, default false
 */
public record Pflash(String file, DiskFormat format, boolean readOnly) {
}
