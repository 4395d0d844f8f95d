package io.vmsup.config.impl;

import io.vmsup.config.Accel;
import io.vmsup.config.Machine;
import io.vmsup.config.Memory;
import io.vmsup.config.MemoryBackend;
import io.vmsup.config.NumaNode;
import io.vmsup.config.Smp;
import io.vmsup.config.VmSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Rules that span fields: topology, memory, machine features, NUMA; device references are in {@link DeviceRefs}. */
final class SpecValidator {

  private SpecValidator() {
  }

  static void validate(TopParser.Draft draft, Problems p) {
    VmSpec spec = draft.spec();
    smp(spec.smp(), p);
    memory(spec.memory(), p);
    machine(spec, p);
    numa(spec, p);
    DeviceRefs.check(spec, draft.devicePaths(), p);
    PciRules.check(spec, draft.devicePaths(), p);
  }

  private static void smp(Smp s, Problems p) {
    int max = s.maxCpus().orElse(s.cpus());
    p.check(max >= s.cpus(), "smp.maxCpus", "must be at least cpus (" + s.cpus() + "), not " + max);
    long product = (long) s.sockets().orElse(1) * s.cores().orElse(1) * s.threads().orElse(1);
    if (s.sockets().isPresent() && s.cores().isPresent() && s.threads().isPresent()) {
      p.check(product == max, "smp", "sockets * cores * threads (" + product + ") must equal maxCpus, or cpus when"
          + " maxCpus is absent (" + max + ")");
    } else {
      // QEMU derives the missing counts by division and then insists the product is exact
      p.check(max % product == 0, "smp", "the given sockets/cores/threads (product " + product + ") must divide"
          + " maxCpus, or cpus when maxCpus is absent (" + max + ")");
    }
  }

  private static void memory(Memory m, Problems p) {
    p.check(m.size().bytes() > 0 && m.size().bytes() % (1 << 20) == 0, "memory.size",
        "must be a positive multiple of 1M, not " + m.size().bytes() + " bytes");
    p.check(m.slots().isPresent() == m.max().isPresent(), m.slots().isPresent() ? "memory.max" : "memory.slots",
        "is required together with " + (m.slots().isPresent() ? "memory.slots" : "memory.max"));
    m.max().ifPresent(max -> p.check(max.bytes() >= m.size().bytes() && max.bytes() % (1 << 20) == 0,
        "memory.max", "must be a multiple of 1M and at least memory.size (" + m.size().toQemu() + ")"));
  }

  private static void machine(VmSpec spec, Problems p) {
    Machine m = spec.machine();
    String family = "is only for pc and q35 machines, not \"" + m.type() + "\"";
    p.check(m.isPcFamily() || !m.nvdimm(), "machine.nvdimm", family);
    p.check(m.isPcFamily() || m.smm().isEmpty(), "machine.smm", family);
    p.check(m.isPcFamily() || spec.pflash().isEmpty(), "pflash", family);
    p.check(spec.pflash().size() <= 2, "pflash", "holds at most 2 units (code and variables)");
    p.check(m.isPcFamily() || spec.vga().isEmpty(), "vga", family);
    for (String kernelPart : List.of("kernel", "initrd")) {
      p.check(!m.options().containsKey(kernelPart) || spec.kernel().isEmpty(), "machine.options." + kernelPart,
          "cannot be used together with the kernel section; use kernel.path and kernel.initrd");
    }
    p.check(!m.options().containsKey("firmware") || spec.bios().isEmpty(), "machine.options.firmware",
        "cannot be used together with bios");
    boolean none = m.type().equals("none");
    String noneRule = "is not supported by machine \"none\"";
    p.check(!none || spec.kernel().isEmpty(), "kernel", noneRule);
    p.check(!none || spec.fwCfg().isEmpty(), "fwCfg", noneRule);
    p.check(!none || spec.smp().maxCpus().orElse(spec.smp().cpus()) == 1, "smp",
        "machine \"none\" supports exactly 1 vCPU");
    p.check(!(m.accel() == Accel.TCG && spec.cpu().filter("host"::equals).isPresent()), "cpu",
        "\"host\" needs KVM; use \"max\" with accel \"tcg\", or accel \"kvm\"/\"auto\"");
  }

  private static void numa(VmSpec spec, Problems p) {
    List<NumaNode> nodes = spec.numa();
    if (nodes.isEmpty()) {
      return;
    }
    for (String knob : List.of("hugepages", "prealloc")) {
      boolean on = knob.equals("hugepages") ? spec.knobs().hugepages() : spec.knobs().prealloc();
      p.check(!on, "knobs." + knob, "cannot be used with numa; set it on the nodes' memory-backend devices");
    }
    p.check(!spec.memory().shared(), "memory.shared",
        "cannot be used with numa; set \"share\" on the nodes' memory-backend devices");
    int maxCpus = spec.smp().maxCpus().orElse(spec.smp().cpus());
    Set<Integer> ids = new HashSet<>();
    Map<Integer, Integer> cpuOwner = new HashMap<>();
    long total = 0;
    for (int i = 0; i < nodes.size(); i++) {
      NumaNode n = nodes.get(i);
      String path = "numa[" + i + "]";
      p.check(ids.add(n.nodeId()), path + ".nodeId", "duplicate nodeId " + n.nodeId());
      for (int cpu : n.cpus()) {
        p.check(cpu < maxCpus, path + ".cpus", "vCPU " + cpu + " does not exist (maxCpus is " + maxCpus + ")");
        Integer owner = cpuOwner.putIfAbsent(cpu, i);
        p.check(owner == null, path + ".cpus", "vCPU " + cpu + " is already in numa[" + owner + "]");
      }
      var backend = spec.device(n.memdev()).filter(d -> d instanceof MemoryBackend).map(d -> (MemoryBackend) d);
      if (!n.memdev().isEmpty()) {
        p.check(backend.isPresent(), path + ".memdev", "no memory-backend device with id \"" + n.memdev() + "\"");
      }
      total += backend.map(b -> b.size().bytes()).orElse(0L);
    }
    p.check(total == spec.memory().size().bytes(), "numa", "the nodes' memory backends add up to "
        + total + " bytes but memory.size is " + spec.memory().size().bytes() + " bytes; they must be equal");
  }
}
