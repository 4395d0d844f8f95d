package io.vmsup.config.impl;

import io.vmsup.config.Accel;
import io.vmsup.config.Device;
import io.vmsup.config.Disk;
import io.vmsup.config.FwCfgEntry;
import io.vmsup.config.GlobalProperty;
import io.vmsup.config.Knobs;
import io.vmsup.config.Machine;
import io.vmsup.config.Memory;
import io.vmsup.config.Nic;
import io.vmsup.config.NumaNode;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PlannedPort;
import io.vmsup.config.Pflash;
import io.vmsup.config.RenderContext;
import io.vmsup.config.RuntimeArgs;
import io.vmsup.config.Sandbox;
import io.vmsup.config.Smp;
import io.vmsup.config.VmSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The one renderer. The order of {@link #render} is the documented argument order. */
public final class ArgvRenderer {

  /** Id of the object that backs main RAM when it needs options (shared, hugepages, prealloc). */
  static final String RAM_ID = "vmsup-ram";

  private final List<String> argv = new ArrayList<>();

  private ArgvRenderer() {
  }

  public static List<String> render(VmSpec spec, RenderContext ctx) {
    return render(spec, ctx, PciLayout.empty());
  }

  public static List<String> render(VmSpec spec, RenderContext ctx, PciLayout stored) {
    PciLayout layout = PciPlanner.withPinned(spec, stored);
    ArgvRenderer r = new ArgvRenderer();
    r.argv.add(ctx.binary());
    r.opts("-name", QemuOpts.keyed().add("guest", spec.name()));
    spec.uuid().ifPresent(u -> r.raw("-uuid", u));
    r.machine(spec);
    Accel accel = ctx.host().choose(spec.machine().accel());
    r.opts("-accel", QemuOpts.of(accel.name().toLowerCase(Locale.ROOT)));
    // PVM hosts and TCG: -cpu host needs KVM; "auto" fell back to TCG, so use the closest TCG model
    spec.cpu().map(c -> accel == Accel.TCG && c.equals("host") ? "max" : c).ifPresent(c -> r.raw("-cpu", c));
    r.smp(spec.smp());
    r.memory(spec);
    r.knobs(spec.knobs());
    spec.rtc().ifPresent(rtc -> r.opts("-rtc", QemuOpts.keyed().add("base", lower(rtc.base()))
        .add("clock", rtc.clock().map(ArgvRenderer::lower)).add("driftfix", rtc.driftFix().map(ArgvRenderer::lower))));
    spec.vga().ifPresent(v -> r.raw("-vga", lower(v)));
    for (GlobalProperty g : spec.globals()) {
      r.opts("-global", QemuOpts.keyed().add("driver", g.driver()).add("property", g.property())
          .add("value", g.value()));
    }
    Optional<Sandbox> sandbox = spec.sandbox().or(() -> Optional.ofNullable(ctx.defaultSandbox()));
    sandbox.ifPresent(s -> r.opts("-sandbox", QemuOpts.of("on")
        .add("obsolete", s.denyObsolete() ? "deny" : "allow")
        .add("elevateprivileges", lower(s.elevatePrivileges()))
        .add("spawn", s.denySpawn() ? "deny" : "allow")
        .add("resourcecontrol", s.denyResourceControl() ? "deny" : "allow")));
    spec.bios().ifPresent(b -> r.raw("-bios", b));
    spec.kernel().ifPresent(k -> {
      r.raw("-kernel", k.path());
      k.initrd().ifPresent(i -> r.raw("-initrd", i));
      k.cmdline().ifPresent(c -> r.raw("-append", c));
    });
    for (int unit = 0; unit < spec.pflash().size(); unit++) {
      Pflash p = spec.pflash().get(unit);
      r.opts("-blockdev", BlockArgs.blockdev("pflash" + unit, p.format(), p.file(), p.readOnly()));
    }
    for (PlannedPort p : layout.ports()) {
      QemuArg a = PciArgs.plannedPort(p);
      r.opts(a.flag(), a.opts());
    }
    int nextFd = 3;
    for (Device d : DeviceOrder.sorted(spec.devices())) {
      if (d instanceof Disk disk && disk.inVmDir() && ctx.runtime().vmDir() != null) {
        d = disk.withFile(ctx.runtime().vmDir().resolve(disk.file()).toString());
      }
      List<QemuArg> args = DeviceArgs.of(d, layout);
      if (d instanceof Nic n && n.handedOver()) {
        if (ctx.handOver()) {
          continue; // plugged over QMP with the daemon's descriptors before the VM runs (QmpHotplug.plan)
        }
        args = DeviceArgs.portable(n, layout, nextFd);
        nextFd += n.backend() == Nic.Backend.MACVTAP ? n.queues() : 0;
      }
      for (QemuArg a : args) {
        r.opts(a.flag(), a.opts());
      }
    }
    for (NumaNode n : spec.numa()) {
      QemuOpts numa = QemuOpts.of("node").add("nodeid", n.nodeId());
      for (String range : Ranges.of(n.cpus())) {
        numa.add("cpus", range);
      }
      r.opts("-numa", numa.add("memdev", n.memdev()));
    }
    for (FwCfgEntry f : spec.fwCfg()) {
      r.opts("-fw_cfg", QemuOpts.keyed().add("name", f.name()).add("file", f.file()).add("string", f.string()));
    }
    r.runtime(ctx.runtime());
    if (spec.supervision().startPaused() || ctx.handOver() && (handsOver(spec) || spec.incomingFile().isPresent())) {
      r.argv.add("-S");
    }
    // a file is opened by the daemon and handed over after start (migrate-incoming fd:NAME): QEMU waits for it
    spec.incoming().ifPresent(i -> r.raw("-incoming", spec.incomingFile().isPresent() ? "defer" : i));
    return List.copyOf(r.argv);
  }

  /** The runtime arguments alone, as {@link #render} writes them. */
  public static List<String> runtimeOnly(RuntimeArgs rt) {
    ArgvRenderer r = new ArgvRenderer();
    r.runtime(rt);
    return List.copyOf(r.argv);
  }

  private void machine(VmSpec spec) {
    Machine m = spec.machine();
    QemuOpts opts = QemuOpts.of(m.type()).addIfTrue("nvdimm", m.nvdimm()).add("smm", m.smm())
        .add("dump-guest-core", m.dumpGuestCore()).add("mem-merge", m.memMerge());
    if (needsRamBackend(spec)) {
      opts.add("memory-backend", RAM_ID);
    }
    for (int unit = 0; unit < spec.pflash().size(); unit++) {
      opts.add("pflash" + unit, "pflash" + unit);
    }
    m.options().forEach(opts::add);
    opts("-machine", opts);
  }

  private void smp(Smp s) {
    opts("-smp", QemuOpts.keyed().add("cpus", s.cpus()).add("sockets", s.sockets()).add("cores", s.cores())
        .add("threads", s.threads()).add("maxcpus", s.maxCpus()));
  }

  private void memory(VmSpec spec) {
    Memory m = spec.memory();
    opts("-m", QemuOpts.keyed().add("size", m.size()).add("slots", m.slots()).add("maxmem", m.max()));
    if (!needsRamBackend(spec)) {
      return;
    }
    Knobs k = spec.knobs();
    QemuOpts ram;
    if (k.hugepages()) {
      ram = QemuOpts.of("memory-backend-file").add("id", RAM_ID).add("size", m.size())
          .add("mem-path", "/dev/hugepages");
    } else if (m.shared()) {
      ram = QemuOpts.of("memory-backend-memfd").add("id", RAM_ID).add("size", m.size());
    } else {
      ram = QemuOpts.of("memory-backend-ram").add("id", RAM_ID).add("size", m.size());
    }
    opts("-object", ram.addIfTrue("share", m.shared()).addIfTrue("prealloc", k.prealloc()));
  }

  /** Main RAM needs an explicit backend object for shared memory, hugepages or pre-allocation (not with NUMA). */
  static boolean needsRamBackend(VmSpec spec) {
    return spec.numa().isEmpty()
        && (spec.memory().shared() || spec.knobs().hugepages() || spec.knobs().prealloc());
  }

  private void knobs(Knobs k) {
    if (k.memLock()) {
      opts("-overcommit", QemuOpts.keyed().add("mem-lock", true));
    }
    if (k.noUserConfig()) {
      argv.add("-no-user-config");
    }
    if (k.noDefaults()) {
      argv.add("-nodefaults");
    }
    raw("-display", lower(k.display()));
  }

  private void runtime(RuntimeArgs rt) {
    if (rt.qmpSocket() != null) {
      opts("-chardev", QemuOpts.of("socket").add("id", "vmsup-qmp").add("path", rt.qmpSocket().toString())
          .add("server", true).add("wait", false));
      opts("-mon", QemuOpts.keyed().add("chardev", "vmsup-qmp").add("mode", "control"));
    }
    if (rt.pidFile() != null) {
      raw("-pidfile", rt.pidFile().toString());
    }
    if (rt.serialSocket() != null) {
      // a socket chardev drops output while no client is connected: logfile= keeps all of it
      opts("-chardev", QemuOpts.of("socket").add("id", "vmsup-serial").add("path", rt.serialSocket().toString())
          .add("server", true).add("wait", false).add("logfile", rt.serialLog().toString()).add("logappend", true));
      raw("-serial", "chardev:vmsup-serial");
    } else if (rt.serialLog() != null) {
      opts("-chardev", QemuOpts.of("file").add("id", "vmsup-serial").add("path", rt.serialLog().toString()));
      raw("-serial", "chardev:vmsup-serial");
    }
  }

  /** An option whose value QEMU parses as {@code key=value,...}: always through {@link QemuOpts}. */
  private void opts(String flag, QemuOpts opts) {
    argv.add(flag);
    argv.add(opts.toArg());
  }

  /** An option whose value QEMU takes literally (a path, a UUID, a model name): no option parsing, no escaping. */
  private void raw(String flag, String value) {
    argv.add(flag);
    argv.add(value);
  }

  /** True when the spec has a NIC the daemon hands descriptors to after start. */
  static boolean handsOver(VmSpec spec) {
    return spec.devices().stream().anyMatch(d -> d instanceof Nic n && n.handedOver());
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
