package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.DiskFormat;
import io.vmsup.config.Nic;
import io.vmsup.config.PciOptions;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A typed device → the spec's JSON device format, the inverse of its parser (a default is left out, as a user would).
 * A field added to a record and its parser belongs here too: {@code DeviceWriterTest} parses every device of the
 * golden cases, writes it and parses it again.
 */
final class DeviceWriter {

  private DeviceWriter() {
  }

  static ObjectNode write(Device device) {
    if (device instanceof Disk d) {
      return disk(d);
    }
    if (device instanceof Nic n) {
      return nic(n);
    }
    throw new IllegalArgumentException("a " + device.kind().json() + " has no JSON writer; give it as JSON text");
  }

  private static ObjectNode disk(Disk d) {
    ObjectNode o = head(d);
    if (d.managed()) {
      opt(o, "image", d.image());
      d.size().ifPresent(s -> o.put("size", s.bytes()));
    } else {
      o.put("file", d.file());
      enumUnless(o, "format", d.format(), DiskFormat.RAW);
    }
    enumUnless(o, "model", d.model(), Disk.Model.VIRTIO_BLK);
    opt(o, "bus", d.bus());
    flag(o, "readOnly", d.readOnly());
    enumUnless(o, "cache", d.cache(), Disk.Cache.WRITEBACK);
    enumUnless(o, "aio", d.aio(), Disk.Aio.THREADS);
    opt(o, "iothread", d.iothread());
    opt(o, "serial", d.serial());
    opt(o, "bootIndex", d.bootIndex());
    flag(o, "discard", d.discard());
    pci(o, d.pci());
    return o;
  }

  private static ObjectNode nic(Nic n) {
    ObjectNode o = head(n);
    o.put("backend", ArgvRenderer.lower(n.backend()));
    enumUnless(o, "model", n.model(), Nic.Model.VIRTIO_NET);
    opt(o, "mac", n.mac());
    if (n.network().isPresent()) {
      opt(o, "network", n.network());
    } else {
      opt(o, "ifname", n.ifname());
    }
    flag(o, "vhost", n.vhost());
    if (n.queues() != 1) {
      o.put("queues", n.queues());
    }
    opt(o, "socket", n.socket());
    opt(o, "bus", n.bus());
    opt(o, "bootIndex", n.bootIndex());
    pci(o, n.pci());
    if (!n.hostForwards().isEmpty()) {
      var list = o.putArray("hostForwards");
      for (io.vmsup.config.HostForward f : n.hostForwards()) {
        var fo = list.addObject().put("proto", ArgvRenderer.lower(f.proto()));
        f.hostAddress().ifPresent(a -> fo.put("hostAddress", a));
        fo.put("hostPort", f.hostPort()).put("guestPort", f.guestPort());
      }
    }
    return o;
  }

  private static ObjectNode head(Device d) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("kind", d.kind().json());
    o.put("id", d.id());
    return o;
  }

  private static void pci(ObjectNode o, PciOptions pci) {
    pci.addr().ifPresent(a -> o.put("addr", a.toQemu()));
    flag(o, "disableModern", pci.disableModern());
    opt(o, "romfile", pci.romfile());
  }

  private static <E extends Enum<E>> void enumUnless(ObjectNode o, String key, E value, E fallback) {
    if (value != fallback) {
      o.put(key, ArgvRenderer.lower(value));
    }
  }

  private static void opt(ObjectNode o, String key, Optional<String> value) {
    value.ifPresent(v -> o.put(key, v));
  }

  private static void opt(ObjectNode o, String key, OptionalInt value) {
    value.ifPresent(v -> o.put(key, v));
  }

  private static void flag(ObjectNode o, String key, boolean value) {
    if (value) {
      o.put(key, true);
    }
  }
}
