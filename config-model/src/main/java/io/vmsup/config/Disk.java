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
 * @param image     a disk the daemon makes: a qcow2 overlay over this image of its store (instead of {@code file})
 * @param size      the size of a disk the daemon makes (an empty qcow2 alone, or an overlay at least the image's size)
 */
public record Disk(String id, String file, DiskFormat format, Model model, Optional<String> bus, boolean readOnly,
    Cache cache, Aio aio, Optional<String> iothread, Optional<String> serial, OptionalInt bootIndex, boolean discard,
    PciOptions pci, Optional<String> image, Optional<Size> size) implements Device, PciPlaced {

  /** A disk over a file of the host (not made by the daemon). */
  public Disk(String id, String file, DiskFormat format, Model model, Optional<String> bus, boolean readOnly,
      Cache cache, Aio aio, Optional<String> iothread, Optional<String> serial, OptionalInt bootIndex,
      boolean discard, PciOptions pci) {
    this(id, file, format, model, bus, readOnly, cache, aio, iothread, serial, bootIndex, discard, pci,
        Optional.empty(), Optional.empty());
  }

  /** The directory of the disks the daemon makes, in the VM's directory. */
  public static final String MANAGED_DIR = "disks";

  /** Whether the daemon makes this disk ({@code image} or {@code size} instead of {@code file}). */
  public boolean managed() {
    return image.isPresent() || size.isPresent();
  }

  /**
   * Whether the file lies in the VM's directory (a relative {@code file}): a disk the daemon makes, or the cloud-init
   * seed. A spec's own {@code file} is always absolute.
   */
  public boolean inVmDir() {
    return managed() || !file.startsWith("/");
  }

  /** Where the daemon makes a managed disk, relative to the VM's directory: {@code disks/<id>.qcow2}. */
  public static String managedFile(String id) {
    return MANAGED_DIR + "/" + id + ".qcow2";
  }

  /** The same disk with another file (a managed disk's file resolved against the VM's directory). */
  public Disk withFile(String path) {
    return new Disk(id, path, format, model, bus, readOnly, cache, aio, iothread, serial, bootIndex, discard, pci,
        image, size);
  }

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
