package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceArgs.device;
import static io.vmsup.config.impl.DeviceArgs.object;

import io.vmsup.config.Dimm;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nvdimm;
import java.util.List;
import java.util.Locale;

/** Memory backends, DIMMs and NVDIMMs. */
final class MemArgs {

  private MemArgs() {
  }

  static List<QemuArg> backend(MemoryBackend m) {
    QemuOpts opts = QemuOpts.of("memory-backend-" + m.type().name().toLowerCase(Locale.ROOT))
        .add("id", m.id()).add("size", m.size()).add("mem-path", m.path())
        .addIfTrue("share", m.share()).addIfTrue("prealloc", m.prealloc());
    return List.of(object(opts));
  }

  static List<QemuArg> dimm(Dimm d) {
    return List.of(device(QemuOpts.of("pc-dimm").add("id", d.id()).add("memdev", d.memdev())));
  }

  static List<QemuArg> nvdimm(Nvdimm d) {
    return List.of(device(QemuOpts.of("nvdimm").add("id", d.id()).add("memdev", d.memdev())));
  }
}
