package io.vmsup.config.impl;

import static io.vmsup.config.impl.DeviceParser.bus;
import static io.vmsup.config.impl.DeviceParser.id;
import static io.vmsup.config.impl.DeviceParser.pci;
import static io.vmsup.config.impl.DeviceParser.ref;

import io.vmsup.config.Chardev;
import io.vmsup.config.Device;
import io.vmsup.config.SerialPort;
import io.vmsup.config.VirtioConsole;
import io.vmsup.config.VirtioSerial;
import io.vmsup.config.VirtioSerialPort;
import java.util.Optional;

/** Parsers of character devices and their frontends. */
final class CharParsers {

  private CharParsers() {
  }

  static Device chardev(Obj o) {
    Problems p = o.problems();
    String id = id(o);
    Chardev.Backend backend = o.enumOf("backend", Chardev.Backend.class, Chardev.Backend.NULL);
    p.check(o.has("backend"), o.at("backend"), "is required: one of \"socket\", \"pipe\", \"file\", \"pty\","
        + " \"serial\", \"null\"");
    Optional<String> path = o.optString("path");
    path.ifPresent(s -> TopParser.absolute(p, o.at("path"), s));
    boolean needsPath = backend != Chardev.Backend.PTY && backend != Chardev.Backend.NULL;
    p.check(needsPath == o.has("path") || !o.has("backend"), o.at("path"),
        needsPath ? "is required for backend \"" + ArgvRenderer.lower(backend) + "\""
            : "is not used by backend \"" + ArgvRenderer.lower(backend) + "\"");
    boolean socket = backend == Chardev.Backend.SOCKET;
    boolean server = o.bool("server", true);
    p.check(socket || !o.has("server"), o.at("server"), "is only for backend \"socket\"");
    boolean wait = o.bool("wait", false);
    p.check(socket && server || !o.has("wait"), o.at("wait"), "is only for a socket with \"server\": true");
    boolean append = o.bool("append", false);
    p.check(backend == Chardev.Backend.FILE || !o.has("append"), o.at("append"), "is only for backend \"file\"");
    Optional<String> logfile = o.optString("logfile");
    logfile.ifPresent(s -> TopParser.absolute(p, o.at("logfile"), s));
    return new Chardev(id, backend, path, server, wait, append, logfile);
  }

  static Device serialPort(Obj o) {
    return new SerialPort(id(o), ref(o, "chardev"));
  }

  static Device virtioSerial(Obj o) {
    return new VirtioSerial(id(o), bus(o), o.optInt("maxPorts", 1, 31), pci(o));
  }

  static Device virtioConsole(Obj o) {
    return new VirtioConsole(id(o), ref(o, "chardev"), ref(o, "bus"));
  }

  static Device virtioSerialPort(Obj o) {
    VirtioSerialPort port = new VirtioSerialPort(id(o), ref(o, "chardev"), ref(o, "bus"), o.string("name"));
    if (!port.name().isEmpty()) {
      o.problems().check(Rules.PORT_NAME.matcher(port.name()).matches(), o.at("name"),
          "must be 1-128 characters from A-Z a-z 0-9 . _ - starting with a letter or digit");
    }
    return port;
  }
}
