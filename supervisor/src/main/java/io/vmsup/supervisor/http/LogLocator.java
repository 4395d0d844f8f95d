package io.vmsup.supervisor.http;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a VM's log files are: a map from a log's name ({@code qemu}, {@code serial}) to its path.
 */
@FunctionalInterface
public interface LogLocator {

  /** The log files of the VM named {@code vm}, in display order. */
  Map<String, String> logs(String vm);

  /**
   * The supervisor's layout: {@code <stateDir>/vms/<name>/qemu.log} and {@code <stateDir>/vms/<name>/serial.log}.
   */
  static LogLocator inStateDir(Path stateDir) {
    return vm -> {
      Path dir = stateDir.resolve("vms").resolve(vm);
      Map<String, String> logs = new LinkedHashMap<>();
      logs.put("qemu", dir.resolve("qemu.log").toString());
      logs.put("serial", dir.resolve("serial.log").toString());
      return logs;
    };
  }
}
