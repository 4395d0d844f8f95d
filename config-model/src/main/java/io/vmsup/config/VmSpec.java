package io.vmsup.config;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated, immutable VM spec. Obtain one from {@link VmSpecs#parse(String)}; render it with
 * {@link QemuArgv#render(VmSpec, RenderContext)}. The JSON format is documented in {@code docs/vm-spec.md}.
 *
 * @param name        VM name: 1-63 characters from {@code [A-Za-z0-9._,+-]}, starting with a letter or digit
 * @param uuid        SMBIOS UUID
 * @param machine     machine type, accelerator and machine options
 * @param cpu         CPU model ({@code host}, {@code max}, {@code qemu64}, ...); absent = QEMU default
 * @param smp         CPU topology
 * @param memory      guest RAM
 * @param kernel      direct kernel boot
 * @param bios        absolute path of a BIOS image ({@code -bios})
 * @param pflash      firmware flash units
 * @param rtc         real-time clock
 * @param vga         {@code -vga} card
 * @param globals     {@code -global} defaults
 * @param numa        NUMA nodes
 * @param knobs       process-wide switches
 * @param sandbox     seccomp sandbox
 * @param fwCfg       firmware configuration items
 * @param incoming    migration source ({@code -incoming}), e.g. {@code defer} or {@code tcp:0:4444}; or
 *                    {@code file:/PATH}, a saved state the daemon opens and hands over ({@link #incomingFile()})
 * @param devices     devices in spec order
 * @param supervision supervisor policy (not rendered, except {@code startPaused} → {@code -S})
 * @param resources   per-VM limits enforced through the VM's cgroup (not rendered)
 * @param placement   where a fleet may place the VM (not rendered; read at create by a clustered daemon)
 * @param labels      the VM's own labels ({@code list} filters on them; not rendered)
 * @param cloudInit   a cloud-init NoCloud seed; when present, {@code devices} ends with its read-only disk
 *                    ({@link CloudInit#seedDisk()})
 */
public record VmSpec(String name, Optional<String> uuid, Machine machine, Optional<String> cpu, Smp smp,
    Memory memory, Optional<Kernel> kernel, Optional<String> bios, List<Pflash> pflash, Optional<Rtc> rtc,
    Optional<Vga> vga, List<GlobalProperty> globals, List<NumaNode> numa, Knobs knobs, Optional<Sandbox> sandbox,
    List<FwCfgEntry> fwCfg, Optional<String> incoming, List<Device> devices, Supervision supervision,
    Optional<Resources> resources, Optional<Placement> placement, Map<String, String> labels,
    Optional<CloudInit> cloudInit) {

  public VmSpec {
    pflash = List.copyOf(pflash);
    globals = List.copyOf(globals);
    numa = List.copyOf(numa);
    fwCfg = List.copyOf(fwCfg);
    devices = List.copyOf(devices);
    labels = Map.copyOf(new java.util.TreeMap<>(labels));
  }

  /** The {@code -vga} card. */
  public enum Vga { STD, CIRRUS, VMWARE, QXL, VIRTIO, NONE }

  /**
   * The file of an {@code incoming} of the form {@code file:/PATH}: the daemon opens it (QEMU never does), the launch
   * form renders {@code -incoming defer} with {@code -S}, and once QMP answers the daemon passes the descriptor
   * ({@code getfd}), runs {@code migrate-incoming} with {@code fd:NAME}, waits for the migration to complete and
   * sends {@code cont} (unless the spec starts paused).
   */
  public Optional<String> incomingFile() {
    return incoming.filter(i -> i.startsWith(INCOMING_FILE)).map(i -> i.substring(INCOMING_FILE.length()));
  }

  /** The prefix of an {@code incoming} the daemon hands over. */
  public static final String INCOMING_FILE = "file:";

  /** The device with this id, if any. */
  public Optional<Device> device(String id) {
    return devices.stream().filter(d -> d.id().equals(id)).findFirst();
  }
}
