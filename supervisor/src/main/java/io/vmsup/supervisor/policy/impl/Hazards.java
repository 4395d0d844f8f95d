package io.vmsup.supervisor.policy.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.PathRoots;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Why a QMP command reaches outside its VM, if it does: command rules first, then every argument that names a host
 * file, at any depth ({@code blockdev-add}'s nested {@code file.filename}, {@code object-add}'s {@code mem-path}).
 */
final class Hazards {

  /** Commands refused whatever their arguments. */
  private static final Map<String, String> COMMANDS = Map.of(
      "human-monitor-command", "HMP runs any monitor command (migrate \"exec:...\" runs a host shell command)",
      "getfd", "descriptors cannot travel with a pass-through command; the supervisor hands them over itself",
      "add-fd", "descriptors cannot travel with a pass-through command; the supervisor hands them over itself",
      "xen-save-devices-state", "writes a host file",
      "xen-load-devices-state", "reads a host file");

  /** Argument names whose string value QEMU opens, creates or runs as a host file. */
  private static final Set<String> FILE_KEYS = Set.of("filename", "mem-path", "logfile", "snapshot-file",
      "backing-file", "evdev", "romfile", "dir", "sysfsdev", "tls-creds-dir", "x509-dir", "tftp", "rootdir",
      "hostdevice", "vhostdev", "config", "mountpoint", "pcap", "hidraw", "sock");

  /**
   * Argument names whose value names a descriptor (a number is one of QEMU's own: its QMP socket, a disk; a name is
   * one the daemon passed for its hand-over): the daemon hands descriptors over itself.
   */
  private static final Set<String> DESCRIPTOR_KEYS = Set.of("fd", "fds", "vhostfd", "vhostfds", "fdname");

  /** Argument names that run a host program. */
  private static final Set<String> PROGRAM_KEYS = Set.of("script", "downscript", "helper", "smb");

  /** {@code object-add} types bound to host devices. */
  private static final Set<String> HOST_OBJECTS = Set.of("input-linux", "can-host-socketcan", "cryptodev-vhost-user",
      "vfio-user-server", "dbus-vmstate", "pr-manager-helper");

  /** {@code device_add} drivers that hand a host device to the guest. */
  private static final Set<String> HOST_DEVICES = Set.of("usb-host", "vfio-pci", "vfio-pci-nohotplug",
      "vfio-platform", "vfio-ap", "vfio-ccw", "vhost-scsi", "vhost-scsi-pci", "vhost-scsi-pci-transitional",
      "vhost-scsi-pci-non-transitional", "pci-assign", "u2f-passthru");

  /** Chardev backends that stay inside QEMU. */
  private static final Set<String> INNER_CHARDEVS = Set.of("null", "ringbuf", "memory", "pty", "vc", "msmouse",
      "wctablet", "testdev", "braille", "qemu-vdagent");

  private final PathRoots roots;
  private final boolean quick;
  private boolean pathSeen;

  /**
   * @param quick true: never touch the file system; a host path is only noted ({@link #pathSeen}), and the search
   *              goes on as if the path were allowed
   */
  Hazards(PathRoots roots, boolean quick) {
    this.roots = roots;
    this.quick = quick;
  }

  /**
   * Whether a quick search met a host path it did not resolve. When it did not, its answer is the full search's
   * answer: both walk the arguments in the same order, and only a path's resolution differs.
   */
  boolean pathSeen() {
    return pathSeen;
  }

  Optional<String> find(String execute, JsonObject args) {
    String name = execute.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    if (COMMANDS.containsKey(name)) {
      return Optional.of(COMMANDS.get(name));
    }
    Optional<String> own = switch (name) {
      case "migrate", "migrate-incoming", "migrate-recover" -> uri("uri", args.getValue("uri"));
      case "dump-guest-memory" -> uri("protocol", args.getValue("protocol"));
      case "chardev-add", "chardev-change" -> chardev(args.getValue("backend"));
      case "object-add" -> first(hostObject(args.getValue("qom-type")), first(hostFile("file", args.getValue("file")),
          "qtest".equals(args.getValue("qom-type")) ? hostFile("log", args.getValue("log")) : Optional.empty()));
      case "device-add" -> first(hostDevice(args.getValue("driver")), hostFile("file", args.getValue("file")));
      case "netdev-add" -> args.containsKey("guestfwd")
          ? Optional.of("guestfwd connects the guest to a host command or chardev") : Optional.empty();
      case "drive-mirror", "drive-backup" -> hostFile("target", args.getValue("target"));
      case "screendump", "memsave", "pmemsave", "dump-skeys" -> hostFile("filename", args.getValue("filename"));
      default -> Optional.empty();
    };
    return own.isPresent() ? own : walk(args);
  }

  /** Migration and dump URIs: {@code exec:} runs a shell, {@code file:} writes anywhere, {@code fd:} needs getfd. */
  private Optional<String> uri(String key, Object value) {
    String uri = value instanceof String s ? s.trim() : "";
    String scheme = uri.contains(":") ? uri.substring(0, uri.indexOf(':')).toLowerCase(Locale.ROOT) : "";
    return switch (scheme) {
      case "exec" -> Optional.of(key + " \"" + uri + "\" runs a host command");
      case "fd" -> Optional.of(key + " \"" + uri + "\" uses a descriptor from getfd, which the pass-through refuses");
      case "file" -> hostFile(key, uri.substring(5));
      case "unix" -> hostFile(key, uri.substring(5));
      default -> Optional.empty();
    };
  }

  /** {@code {"type": "file", "data": {"out": PATH}}}: host files, pipes, ttys and unix sockets. */
  private Optional<String> chardev(Object backend) {
    if (!(backend instanceof JsonObject b)) {
      return Optional.empty();
    }
    String type = b.getValue("type") instanceof String s ? s : "";
    JsonObject data = b.getValue("data") instanceof JsonObject d ? d : new JsonObject();
    switch (type) {
      case "file":
        return first(hostFile("backend.data.out", data.getValue("out")), data.containsKey("in")
            ? hostFile("backend.data.in", data.getValue("in")) : Optional.empty());
      case "pipe":
        return hostFile("backend.data.device", data.getValue("device"));
      case "socket":
        JsonObject addr = data.getValue("addr") instanceof JsonObject a ? a : new JsonObject();
        JsonObject inner = addr.getValue("data") instanceof JsonObject a ? a : new JsonObject();
        return "unix".equals(addr.getValue("type")) ? hostFile("backend.data.addr.data.path", inner.getValue("path"))
            : Optional.empty();
      default:
        return INNER_CHARDEVS.contains(type) ? Optional.empty()
            : Optional.of("chardev backend \"" + type + "\" opens a host device or stream");
    }
  }

  private Optional<String> hostObject(Object type) {
    return type instanceof String t && HOST_OBJECTS.contains(t)
        ? Optional.of("object type \"" + t + "\" is bound to a host device") : Optional.empty();
  }

  private Optional<String> hostDevice(Object driver) {
    return driver instanceof String d && HOST_DEVICES.contains(d)
        ? Optional.of("device driver \"" + d + "\" hands a host device to the guest") : Optional.empty();
  }

  /** Every argument, at any depth, that names a host file or program. */
  private Optional<String> walk(Object value) {
    if (value instanceof JsonObject o) {
      // a SocketAddress of type unix anywhere (nbd's server, netdev stream's addr): QEMU connects to or binds that file
      if ("unix".equals(o.getValue("type")) && o.getValue("path") instanceof String) {
        Optional<String> socket = hostFile("path", o.getValue("path"));
        if (socket.isPresent()) {
          return socket;
        }
      }
      // the legacy form {"type": "unix", "data": {"path": ...}} (nbd-server-start's addr): the same socket file
      if ("unix".equals(o.getValue("type")) && o.getValue("data") instanceof JsonObject d) {
        Optional<String> socket = hostFile("data.path", d.getValue("path"));
        if (socket.isPresent()) {
          return socket;
        }
      }
      // a transaction's drive-backup creates its target like the command itself (blockdev-backup names a node)
      if ("drive-backup".equals(o.getValue("type")) && o.getValue("data") instanceof JsonObject d) {
        Optional<String> target = hostFile("target", d.getValue("target"));
        if (target.isPresent()) {
          return target;
        }
      }
      // blockdev driver nvme names a host PCI device (device_add's emulated nvme takes no "device")
      if ("nvme".equals(o.getValue("driver")) && o.getValue("device") instanceof String pci) {
        return Optional.of("block driver \"nvme\" takes the host NVMe device " + pci + " through VFIO");
      }
      if ("fd".equals(o.getValue("type"))) {
        return Optional.of("a socket address of type fd names one of QEMU's own descriptors");
      }
      for (String key : o.fieldNames()) {
        Object v = o.getValue(key);
        if (DESCRIPTOR_KEYS.contains(key)) {
          return Optional.of(key + " names a descriptor of QEMU's; the daemon hands descriptors over itself");
        }
        Optional<String> found = FILE_KEYS.contains(key) && v instanceof String ? hostFile(key, v)
            : PROGRAM_KEYS.contains(key) && v instanceof String s && !s.equals("no")
                ? Optional.of(key + " \"" + s + "\" runs a host program") : walk(v);
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (value instanceof JsonArray a) {
      for (Object v : a) {
        Optional<String> found = walk(v);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  /**
   * A host path outside the roots. A relative {@code romfile} is a name in QEMU's data directory; any other relative
   * path would be opened from QEMU's working directory, so it is refused.
   */
  private Optional<String> hostFile(String key, Object value) {
    if (!(value instanceof String path)) {
      return Optional.empty();
    }
    if (key.equals("romfile") && !path.contains("/") && !path.equals("..")) {
      return Optional.empty();
    }
    if (quick) {
      pathSeen = true;
      return Optional.empty();
    }
    return roots.problem(path).map(p -> key + ": " + p);
  }

  private static Optional<String> first(Optional<String> a, Optional<String> b) {
    return a.isPresent() ? a : b;
  }
}
