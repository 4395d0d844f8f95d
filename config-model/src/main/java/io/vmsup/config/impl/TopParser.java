package io.vmsup.config.impl;

import io.vmsup.config.Accel;
import io.vmsup.config.CloudInit;
import io.vmsup.config.Device;
import io.vmsup.config.DiskFormat;
import io.vmsup.config.FwCfgEntry;
import io.vmsup.config.GlobalProperty;
import io.vmsup.config.Kernel;
import io.vmsup.config.Knobs;
import io.vmsup.config.Machine;
import io.vmsup.config.Nic;
import io.vmsup.config.Memory;
import io.vmsup.config.NumaNode;
import io.vmsup.config.Pflash;
import io.vmsup.config.Placement;
import io.vmsup.config.Resources;
import io.vmsup.config.Rtc;
import io.vmsup.config.Sandbox;
import io.vmsup.config.Size;
import io.vmsup.config.Smp;
import io.vmsup.config.Supervision;
import io.vmsup.config.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Reads the top-level fields of a spec; each sub-object checks its own fields. */
final class TopParser {

  private TopParser() {
  }

  /** A parsed spec and, for each of its devices, the JSON path it came from. */
  record Draft(VmSpec spec, List<String> devicePaths) {
  }

  static Draft parse(Obj o) {
    Problems p = o.problems();
    Optional<String> givenName = o.optString("name");
    givenName.ifPresent(n -> p.check(Rules.NAME.matcher(n).matches(), "name", Rules.NAME_RULE));
    p.check(o.has("name"), "name", "is required");
    String name = givenName.orElse("");
    Optional<String> uuid = o.optString("uuid");
    uuid.ifPresent(u -> p.check(Rules.UUID.matcher(u).matches(), "uuid",
        "must be a UUID like 12345678-1234-1234-1234-123456789abc"));
    Machine machine = o.optObj("machine").map(TopParser::machine).orElse(defaultMachine());
    Optional<String> cpu = o.optString("cpu");
    cpu.ifPresent(c -> p.check(Rules.CPU_MODEL.matcher(c).matches(), "cpu",
        "must be a CPU model name such as \"host\", \"max\" or \"Skylake-Client\""));
    Smp smp = o.optObj("smp").map(TopParser::smp).orElse(new Smp(1, OptionalInt.empty(), OptionalInt.empty(),
        OptionalInt.empty(), OptionalInt.empty()));
    Memory memory = o.optObj("memory").map(TopParser::memory).orElse(new Memory(Size.ofMiB(128),
        OptionalInt.empty(), Optional.empty(), false));
    Optional<Kernel> kernel = o.optObj("kernel").map(TopParser::kernel);
    Optional<String> bios = o.optString("bios");
    bios.ifPresent(b -> absolute(p, "bios", b));
    List<Pflash> pflash = new ArrayList<>();
    for (Obj.Elem e : o.list("pflash")) {
      Obj.of(e.node(), e.path(), p).map(TopParser::pflash).ifPresent(pflash::add);
    }
    Optional<Rtc> rtc = o.optObj("rtc").map(TopParser::rtc);
    Optional<VmSpec.Vga> vga = o.optEnum("vga", VmSpec.Vga.class);
    List<GlobalProperty> globals = new ArrayList<>();
    for (Obj.Elem e : o.list("globals")) {
      Obj.of(e.node(), e.path(), p).map(TopParser::global).ifPresent(globals::add);
    }
    List<NumaNode> numa = new ArrayList<>();
    for (Obj.Elem e : o.list("numa")) {
      Obj.of(e.node(), e.path(), p).map(TopParser::numa).ifPresent(numa::add);
    }
    Knobs knobs = o.optObj("knobs").map(TopParser::knobs).orElse(Knobs.defaults());
    Optional<Sandbox> sandbox = o.optObj("sandbox").map(TopParser::sandbox);
    List<FwCfgEntry> fwCfg = new ArrayList<>();
    for (Obj.Elem e : o.list("fwCfg")) {
      Obj.of(e.node(), e.path(), p).map(TopParser::fwCfg).ifPresent(fwCfg::add);
    }
    Optional<String> incoming = o.optString("incoming");
    incoming.ifPresent(i -> {
      if (i.startsWith("fd:")) {
        p.add("incoming", "a descriptor number is not accepted: fd:N would name the daemon's own descriptor, not"
            + " yours; use \"defer\", tcp:HOST:PORT, unix:PATH, rdma:HOST:PORT or file:/PATH (the daemon opens it)");
      } else {
        p.check(Rules.INCOMING.matcher(i).matches(), "incoming",
            "must be \"defer\", a URI tcp:HOST:PORT, unix:PATH or rdma:HOST:PORT, or file:/PATH (an absolute path)");
      }
    });
    List<Device> devices = new ArrayList<>();
    List<String> devicePaths = new ArrayList<>();
    for (Obj.Elem e : o.list("devices")) {
      Obj.of(e.node(), e.path(), p).flatMap(DeviceParser::parse).ifPresent(d -> {
        // a NIC on a managed network: the tap the daemon makes for it is rendered as its ifname
        devices.add(d instanceof Nic n && n.network().isPresent() && name != null ? n.withTapOf(name) : d);
        devicePaths.add(e.path());
      });
    }
    Supervision supervision = o.optObj("supervision").map(SupervisionParser::parse)
        .orElse(Supervision.defaults());
    Optional<Resources> resources = o.optObj("resources").map(ResourcesParser::parse);
    Optional<Placement> placement = o.optObj("placement").map(PlacementParser::parse);
    Map<String, String> labels = o.optObj("labels").map(PlacementParser::labels).orElse(Map.of());
    Optional<CloudInit> cloudInit = o.optObj("cloudInit").map(c -> CloudInitParser.parse(c, devices));
    cloudInit.ifPresent(c -> {
      devices.add(CloudInit.seedDisk());
      devicePaths.add("cloudInit");
    });
    o.end();
    VmSpec spec = new VmSpec(name, uuid, machine, cpu, smp, memory, kernel, bios, pflash, rtc, vga, globals, numa,
        knobs, sandbox, fwCfg, incoming, devices, supervision, resources, placement, labels, cloudInit);
    return new Draft(spec, devicePaths);
  }

  static Machine defaultMachine() {
    return new Machine("q35", Accel.AUTO, false, Optional.empty(), Optional.empty(), Optional.empty(), Map.of(),
        Machine.DEFAULT_HOTPLUG_PORTS);
  }

  private static Machine machine(Obj o) {
    String type = o.optString("type").orElse("q35");
    o.problems().check(Rules.MACHINE.matcher(type).matches(), o.at("type"),
        "must be a QEMU machine type such as \"q35\", \"pc\", \"microvm\" or \"none\"");
    Machine m = new Machine(type, o.enumOf("accel", Accel.class, Accel.AUTO), o.bool("nvdimm", false),
        o.optBool("smm"), o.optBool("dumpGuestCore"), o.optBool("memMerge"), MachineOptions.parse(o),
        o.integer("hotplugPorts", Machine.DEFAULT_HOTPLUG_PORTS, 0, 16));
    o.end();
    return m;
  }

  private static Smp smp(Obj o) {
    Smp s = new Smp(o.integer("cpus", 1, 1, 1024), o.optInt("sockets", 1, 1024), o.optInt("cores", 1, 1024),
        o.optInt("threads", 1, 1024), o.optInt("maxCpus", 1, 1024));
    o.end();
    return s;
  }

  private static Memory memory(Obj o) {
    Memory m = new Memory(o.optSize("size").orElse(Size.ofMiB(128)), o.optInt("slots", 1, 256),
        o.optSize("max"), o.bool("shared", false));
    o.end();
    return m;
  }

  private static Kernel kernel(Obj o) {
    Kernel k = new Kernel(o.string("path"), o.optString("initrd"), o.optString("cmdline"));
    absolute(o.problems(), o.at("path"), k.path());
    k.initrd().ifPresent(i -> absolute(o.problems(), o.at("initrd"), i));
    o.end();
    return k;
  }

  private static Pflash pflash(Obj o) {
    Pflash f = new Pflash(o.string("file"), o.enumOf("format", DiskFormat.class, DiskFormat.RAW),
        o.bool("readOnly", false));
    absolute(o.problems(), o.at("file"), f.file());
    o.end();
    return f;
  }

  private static Rtc rtc(Obj o) {
    Rtc r = new Rtc(o.enumOf("base", Rtc.Base.class, Rtc.Base.UTC), o.optEnum("clock", Rtc.Clock.class),
        o.optEnum("driftFix", Rtc.DriftFix.class));
    o.end();
    return r;
  }

  private static GlobalProperty global(Obj o) {
    GlobalProperty g = new GlobalProperty(o.string("driver"), o.string("property"), o.string("value"));
    property(o, "driver", g.driver());
    property(o, "property", g.property());
    o.end();
    return g;
  }

  private static void property(Obj o, String key, String value) {
    if (!value.isEmpty()) {
      o.problems().check(Rules.PROPERTY.matcher(value).matches(), o.at(key),
          "must be 1-64 characters from A-Z a-z 0-9 _ . - (a QEMU driver or property name)");
    }
  }

  private static NumaNode numa(Obj o) {
    NumaNode n = new NumaNode(o.integer("nodeId", 0, 0, 127), o.intList("cpus", 0, 1023), o.string("memdev"));
    o.problems().check(o.has("nodeId"), o.at("nodeId"), "is required");
    o.problems().check(!n.cpus().isEmpty(), o.at("cpus"), "must list at least one vCPU index");
    o.end();
    return n;
  }

  private static Knobs knobs(Obj o) {
    Knobs k = new Knobs(o.bool("noUserConfig", true), o.bool("noDefaults", true),
        o.enumOf("display", Knobs.Display.class, Knobs.Display.NONE), o.bool("hugepages", false),
        o.bool("prealloc", false), o.bool("memLock", false));
    o.end();
    return k;
  }

  private enum Policy { ALLOW, DENY }

  private static Sandbox sandbox(Obj o) {
    Sandbox s = new Sandbox(o.enumOf("obsolete", Policy.class, Policy.DENY) == Policy.DENY,
        o.enumOf("elevatePrivileges", Sandbox.Elevate.class, Sandbox.Elevate.DENY),
        o.enumOf("spawn", Policy.class, Policy.DENY) == Policy.DENY,
        o.enumOf("resourceControl", Policy.class, Policy.DENY) == Policy.DENY);
    o.end();
    return s;
  }

  private static FwCfgEntry fwCfg(Obj o) {
    FwCfgEntry f = new FwCfgEntry(o.string("name"), o.optString("file"), o.optString("string"));
    Problems p = o.problems();
    if (!f.name().isEmpty()) {
      p.check(f.name().startsWith("opt/") && f.name().length() <= 55, o.at("name"),
          "must start with \"opt/\" and be at most 55 characters");
    }
    p.check(f.file().isPresent() != f.string().isPresent(), o.path(),
        "needs exactly one of \"file\" and \"string\"");
    f.file().ifPresent(file -> absolute(p, o.at("file"), file));
    o.end();
    return f;
  }

  static void absolute(Problems p, String path, String value) {
    if (!value.isEmpty()) {
      p.check(Rules.isAbsolutePath(value), path, "must be an absolute path");
    }
  }
}
