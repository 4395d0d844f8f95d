package io.vmsup.config;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A disk image: {@code -blockdev} (format node over a file node) plus {@code -device virtio-blk-pci|scsi-hd}.
 *
 * @param id        device id; the block node is {@code <id>.blk}
 * @param file      absolute path of the image
 * @param format    image format, default raw
 * @param model     {@code virtio-blk} (default, PCI bus) or {@code scsi-hd} (bus = a scsi-controller id, required)
 * @param bus       bridge, root port or controller id; absent = the machine's root bus
 * @param readOnly  open read-only, default false
 * @param cache     host cache mode, default writeback
 * @param aio       host I/O engine, default threads; {@code native} needs cache {@code none}
 * @param iothread  iothread id (virtio-blk only)
 * @param serial    serial number seen by the guest, at most 20 characters
 * @param bootIndex boot order
 * @param discard   pass discard requests to the image ({@code discard=unmap}), default false
 * @param pci PCI address, legacy virtio and option ROM options ({@code addr}, {@code disableModern}, {@code romfile})
 */
public record Disk(String id, String file, DiskFormat format, Model model, Optional<String> bus, boolean readOnly,
    Cache cache, Aio aio, Optional<String> iothread, Optional<String> serial, OptionalInt bootIndex, boolean discard,
    PciOptions pci) implements Device, PciPlaced {

  /** The guest-visible device. */
  public enum Model { VIRTIO_BLK, SCSI_HD }

  /** Host cache mode. */
  public enum Cache { WRITEBACK, NONE, UNSAFE }

  /** Host asynchronous I/O engine. */
  public enum Aio { THREADS, NATIVE }

  @Override
  public DeviceKind kind() {
    return DeviceKind.DISK;
  }
}
