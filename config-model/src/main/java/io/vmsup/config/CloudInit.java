package io.vmsup.config;

import java.util.Optional;

/**
 * A cloud-init NoCloud seed: the daemon writes these texts as {@code user-data}, {@code meta-data} and
 * {@code network-config} into an ISO 9660 image labelled {@code cidata} in the VM's directory ({@value #SEED_FILE}),
 * rebuilt before every start, and attaches it as the read-only virtio disk {@value #SEED_ID}.
 *
 * @param userData      the user-data text (a {@code #cloud-config} document, a script, ...)
 * @param metaData      the meta-data text; absent = {@code instance-id} and {@code local-hostname} set to the VM's name
 * @param networkConfig the network-config text (cloud-init network config v1 or v2); absent = none
 */
public record CloudInit(String userData, Optional<String> metaData, Optional<String> networkConfig) {

  /** The id of the seed's disk device (no other device may have it). */
  public static final String SEED_ID = "cidata";
  /** The seed image, relative to the VM's directory. */
  public static final String SEED_FILE = "cidata.iso";
  /** The volume label cloud-init looks for. */
  public static final String LABEL = "cidata";

  /** The meta-data written: the given text, or the default for {@code vm}. */
  public String metaDataFor(String vm) {
    return metaData.orElse("instance-id: " + vm + "\nlocal-hostname: " + vm + "\n");
  }

  /** The read-only disk the seed is attached as (its file below the VM's directory). */
  public static Disk seedDisk() {
    return new Disk(SEED_ID, SEED_FILE, DiskFormat.RAW, Disk.Model.VIRTIO_BLK, Optional.empty(), true,
        Disk.Cache.WRITEBACK, Disk.Aio.THREADS, Optional.empty(), Optional.of(SEED_ID),
        java.util.OptionalInt.empty(), false, PciOptions.none());
  }
}
