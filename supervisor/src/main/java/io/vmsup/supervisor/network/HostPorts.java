package io.vmsup.supervisor.network;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.Device;
import io.vmsup.config.HostForward;
import io.vmsup.config.Nic;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.api.VmHandle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The host sockets of {@code user} NICs' port forwards ({@code hostForwards}): QEMU listens on them, so two VMs that
 * want one socket cannot both run, a port another process holds makes QEMU fail with a bare "Could not set up host
 * forwarding rule", and a port below {@code net.ipv4.ip_unprivileged_port_start} needs QEMU to run as root. These
 * checks say which, with the JSON path of the forward, before QEMU is spawned.
 */
public final class HostPorts {

  /** The sysctl of the lowest port an unprivileged process may bind (per network namespace). */
  static final Path UNPRIVILEGED_START = Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start");

  /** A forward with the VM and the JSON path that ask for it. */
  public record Held(String vm, String path, HostForward forward) {
  }

  private HostPorts() {
  }

  /**
   * At create: forwards QEMU could not bind for want of privilege (INVALID, each with its path) and a clash with a
   * forward of any other VM's spec (CONFLICT naming both). Blocking (reads a sysctl).
   *
   * @throws VmException INVALID or CONFLICT
   */
  public static void checkCreate(String vm, VmSpec spec, Collection<VmHandle> others, boolean qemuIsRoot) {
    List<Held> mine = of(vm, spec);
    List<Violation> privileged = privileged(mine, qemuIsRoot);
    if (!privileged.isEmpty()) {
      JsonArray list = new JsonArray();
      privileged.forEach(v -> list.add(new JsonObject().put("path", v.path()).put("message", v.message())));
      throw VmException.invalid(privileged.get(0).toString(), list);
    }
    Optional<VmException> clash = clash(mine, others, h -> true);
    if (clash.isPresent()) {
      throw clash.get();
    }
  }

  /**
   * Before QEMU binds the forwards (a start, a live attach): privilege (INVALID), a clash with a VM of this daemon
   * that has a QEMU (CONFLICT naming it), then a bind of each socket for an instant (CONFLICT when another process
   * holds it). Empty when QEMU can bind them all. Blocking.
   */
  public static Optional<VmException> checkBind(List<Held> forwards, Collection<VmHandle> others,
      boolean qemuIsRoot) {
    List<Violation> privileged = privileged(forwards, qemuIsRoot);
    if (!privileged.isEmpty()) {
      JsonArray list = new JsonArray();
      privileged.forEach(v -> list.add(new JsonObject().put("path", v.path()).put("message", v.message())));
      return Optional.of(VmException.invalid(privileged.get(0).toString(), list));
    }
    return clash(forwards, others, h -> h.state().hasProcess()).or(() -> probe(forwards));
  }

  /**
   * The first clash of {@code mine} with the forwards of the other VMs that {@code which} selects: CONFLICT naming
   * both forwards, each by VM and path. The VM of {@code mine} is skipped among {@code others}.
   */
  static Optional<VmException> clash(List<Held> mine, Collection<VmHandle> others, Predicate<VmHandle> which) {
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    String vm = mine.get(0).vm();
    for (VmHandle h : others) {
      if (h.name().equals(vm) || !which.test(h)) {
        continue;
      }
      for (Held theirs : of(h.name(), h.spec())) {
        for (Held m : mine) {
          if (m.forward().clashes(theirs.forward())) {
            return Optional.of(new VmException(ErrorCode.CONFLICT, "host port " + m.forward().describe() + " of "
                + m.path() + " is already forwarded by VM '" + theirs.vm() + "' (" + theirs.path() + ": "
                + theirs.forward().describe() + ")", new JsonObject().put("path", m.path() + ".hostPort")
                .put("vm", theirs.vm()).put("theirPath", theirs.path())));
          }
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Forwards whose port QEMU may not bind: below {@code ip_unprivileged_port_start} (1024 when unreadable) while
   * QEMU does not run as root. Blocking (reads the sysctl).
   */
  static List<Violation> privileged(List<Held> held, boolean qemuIsRoot) {
    if (qemuIsRoot || held.isEmpty()) {
      return List.of();
    }
    int start = unprivilegedStart();
    List<Violation> out = new ArrayList<>();
    for (Held h : held) {
      if (h.forward().hostPort() < start) {
        out.add(new Violation(h.path() + ".hostPort", "port " + h.forward().hostPort() + " is privileged on this host"
            + " (below net.ipv4.ip_unprivileged_port_start = " + start + ") and QEMU does not run as root here: use"
            + " a port from " + start + " to 65535"));
      }
    }
    return out;
  }

  /**
   * Binds each forward's host socket for an instant, as QEMU will (TCP with {@code SO_REUSEADDR}, so a port in
   * TIME_WAIT passes): CONFLICT naming the forward when another process holds the port, INVALID (at
   * {@code hostAddress}) when the address is not one of this host's. Blocking.
   */
  static Optional<VmException> probe(List<Held> forwards) {
    for (Held h : forwards) {
      HostForward f = h.forward();
      try (NetworkChannel ch = f.proto() == HostForward.Proto.TCP ? ServerSocketChannel.open()
          : DatagramChannel.open()) {
        ch.setOption(StandardSocketOptions.SO_REUSEADDR, f.proto() == HostForward.Proto.TCP);
        ch.bind(new InetSocketAddress(f.bindAddress(), f.hostPort()));
      } catch (java.net.BindException e) {
        return Optional.of(bindFailure(h, e));
      } catch (IOException | RuntimeException e) {
        return Optional.of(new VmException(ErrorCode.INTERNAL, "cannot tell whether host port " + f.describe()
            + " of " + h.path() + " is free: " + e));
      }
    }
    return Optional.empty();
  }

  private static VmException bindFailure(Held h, java.net.BindException e) {
    String why = String.valueOf(e.getMessage());
    if (why.contains("in use")) {
      return new VmException(ErrorCode.CONFLICT, "host port " + h.forward().describe() + " of " + h.path()
          + " is in use by another process (not a VM of this daemon); QEMU could not forward it",
          new JsonObject().put("path", h.path() + ".hostPort"));
    }
    if (why.contains("assign requested address")) {
      return VmException.invalid("host address " + h.forward().bindAddress() + " of " + h.path() + " is not an"
          + " address of this host", new JsonArray().add(new JsonObject().put("path", h.path() + ".hostAddress")
          .put("message", "is not an address of this host")));
    }
    return new VmException(ErrorCode.CONFLICT, "host port " + h.forward().describe() + " of " + h.path()
        + " cannot be bound: " + why, new JsonObject().put("path", h.path() + ".hostPort"));
  }

  /** The sysctl's value; 1024 (the kernel's default) when it cannot be read. Blocking. */
  static int unprivilegedStart() {
    // one read with a buffer: a sysctl file read at a non-zero offset ends there, so Files.readString (size 0,
    // then byte by byte) sees only "1" of "1024"
    try (java.io.InputStream in = Files.newInputStream(UNPRIVILEGED_START)) {
      return Integer.parseInt(new String(in.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII).trim());
    } catch (IOException | NumberFormatException e) {
      return 1024;
    }
  }

  /** The forwards of every NIC of a spec, with their paths. */
  public static List<Held> of(String vm, VmSpec spec) {
    List<Held> out = new ArrayList<>();
    List<Device> devices = spec.devices();
    for (int i = 0; i < devices.size(); i++) {
      if (devices.get(i) instanceof Nic n) {
        out.addAll(of(vm, n, "devices[" + i + "]"));
      }
    }
    return out;
  }

  /** The forwards of one NIC whose JSON path is {@code nicPath}. */
  public static List<Held> of(String vm, Nic n, String nicPath) {
    List<Held> out = new ArrayList<>();
    for (int j = 0; j < n.hostForwards().size(); j++) {
      out.add(new Held(vm, nicPath + ".hostForwards[" + j + "]", n.hostForwards().get(j)));
    }
    return out;
  }

  /** The forwards of a VM's published spec (valid: it passed the parser once). */
  static List<Held> of(String vm, JsonObject spec) {
    List<Held> out = new ArrayList<>();
    JsonArray devices = spec == null ? null : spec.getJsonArray("devices");
    for (int i = 0; devices != null && i < devices.size(); i++) {
      if (devices.getValue(i) instanceof JsonObject d) {
        out.addAll(ofDevice(vm, d, "devices[" + i + "]"));
      }
    }
    return out;
  }

  /** The well-formed forwards of one device as JSON (the parser reports the others). */
  private static List<Held> ofDevice(String vm, JsonObject device, String path) {
    List<Held> out = new ArrayList<>();
    JsonArray forwards = device.getValue("hostForwards") instanceof JsonArray a ? a : new JsonArray();
    for (int j = 0; j < forwards.size(); j++) {
      if (forwards.getValue(j) instanceof JsonObject f && f.getValue("hostPort") instanceof Integer port
          && (f.getValue("hostAddress") == null || f.getValue("hostAddress") instanceof String)) {
        out.add(new Held(vm, path + ".hostForwards[" + j + "]", new HostForward(
            "udp".equals(f.getValue("proto")) ? HostForward.Proto.UDP : HostForward.Proto.TCP,
            Optional.ofNullable((String) f.getValue("hostAddress")), port,
            f.getValue("guestPort") instanceof Integer g ? g : 0)));
      }
    }
    return out;
  }

  /**
   * At attach ({@code {"name","device":{...}}}): a clash of the device's forwards with any other VM's spec, as at
   * create; fails CONFLICT naming both (the parser judges the forwards themselves afterwards).
   */
  public static io.vertx.core.Future<Void> checkAttach(JsonObject body, Collection<VmHandle> others) {
    JsonObject device = body == null ? null : body.getValue("device") instanceof JsonObject d ? d : null;
    String vm = body == null ? null : body.getValue("name") instanceof String n ? n : null;
    if (device == null || vm == null) {
      return io.vertx.core.Future.succeededFuture();
    }
    Optional<VmException> clash = clash(ofDevice(vm, device, "device"), others, h -> true);
    return clash.isPresent() ? io.vertx.core.Future.failedFuture(clash.get()) : io.vertx.core.Future.succeededFuture();
  }
}
