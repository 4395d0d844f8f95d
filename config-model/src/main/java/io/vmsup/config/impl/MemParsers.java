package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceParser.id;
import static io.vmsup.config.impl.DeviceParser.ref;

import io.vmsup.config.Device;
import io.vmsup.config.Dimm;
import io.vmsup.config.Iothread;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.Nvdimm;
import io.vmsup.config.Size;
import java.util.Optional;

/** Parsers of memory devices and iothreads. */
final class MemParsers {

  private MemParsers() {
  }

  static Device backend(Obj o) {
    Problems p = o.problems();
    String id = id(o);
    MemoryBackend.Type type = o.enumOf("type", MemoryBackend.Type.class, MemoryBackend.Type.RAM);
    Optional<Size> size = o.optSize("size");
    p.check(o.has("size"), o.at("size"), "is required");
    size.ifPresent(s -> p.check(s.bytes() > 0 && s.bytes() % (1 << 20) == 0, o.at("size"),
        "must be a positive multiple of 1M"));
    Optional<String> path = o.optString("path");
    path.ifPresent(s -> TopParser.absolute(p, o.at("path"), s));
    p.check(type == MemoryBackend.Type.FILE == o.has("path"), o.at("path"),
        type == MemoryBackend.Type.FILE ? "is required for type \"file\"" : "is only for type \"file\"");
    return new MemoryBackend(id, type, size.orElse(Size.ofMiB(1)), path, o.bool("share", false),
        o.bool("prealloc", false));
  }

  static Device dimm(Obj o) {
    return new Dimm(id(o), ref(o, "memdev"));
  }

  static Device nvdimm(Obj o) {
    return new Nvdimm(id(o), ref(o, "memdev"));
  }

  static Device iothread(Obj o) {
    return new Iothread(id(o));
  }
}
