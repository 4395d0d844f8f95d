package io.vmsup.config;

import io.vmsup.config.impl.HostPathWalker;
import java.util.List;

/**
 * One host path a spec names, with what QEMU does with it. {@link PathRoots} confines them; a supervisor that runs
 * QEMU under a uid of its own grants that uid exactly these paths.
 *
 * @param at     the JSON path of the field, e.g. {@code devices[2].file}
 * @param path   the host path as written in the spec
 * @param access whether QEMU only reads it or also writes (or creates) it
 */
public record HostPath(String at, String path, Access access) {

  /** What QEMU does with the path. */
  public enum Access { READ, WRITE }

  /** Every host path of the spec, in field order: kernel, BIOS, machine options, pflash, fwCfg, globals, devices. */
  public static List<HostPath> of(VmSpec spec) {
    return HostPathWalker.walk(spec);
  }
}
