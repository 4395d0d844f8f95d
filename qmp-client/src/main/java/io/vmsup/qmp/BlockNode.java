package io.vmsup.qmp;

/**
 * One node of {@code query-named-block-nodes} (QAPI {@code BlockDeviceInfo}).
 *
 * @param nodeName the node's name ({@code ""} when QEMU gave none)
 * @param driver the format or protocol driver ({@code drv}: {@code qcow2}, {@code raw}, {@code file}...)
 * @param file the file name the node opened, or {@code null}
 * @param hasImage whether QEMU described the node's image ({@code image}); the sizes below are 0 without it
 * @param actualSize the bytes the image takes on the host ({@code image.actual-size}, 0 when not told)
 * @param virtualSize the image's size as the guest sees it ({@code image.virtual-size})
 */
public record BlockNode(String nodeName, String driver, String file, boolean hasImage, long actualSize,
                        long virtualSize) {
}
