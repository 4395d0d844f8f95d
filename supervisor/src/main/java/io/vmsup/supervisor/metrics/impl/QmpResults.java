package io.vmsup.supervisor.metrics.impl;

import io.vmsup.qmp.BlockStats;
import io.vmsup.qmp.QemuVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The collector's figures from the typed QMP results of a sample (decoded by qmp-client's commands, the one reader of
 * QMP's JSON, where the replies come off the bus); a reply of the wrong shape fails its query, and the sample counts
 * as unanswered.
 */
final class QmpResults {

  private static final String PERIPHERAL = "/machine/peripheral/";

  private QmpResults() {
  }

  /** {@code query-version} → {@code 7.2.22}; {@code unknown} for a reply without numbers (decoded as 0.0.0). */
  static String version(QemuVersion v) {
    if (v.major() == 0 && v.minor() == 0 && v.micro() == 0) {
      return "unknown";
    }
    return v.major() + "." + v.minor() + "." + v.micro();
  }

  /**
   * {@code query-blockstats}: one entry per drive, named by {@code device} (the legacy drive name) or, for
   * {@code -blockdev} drives where it is empty, by {@code qdev} or {@code node-name}; an entry with no name is left
   * out.
   */
  static Map<String, BlockCounters.Sample> blockstats(List<BlockStats> entries) {
    Map<String, BlockCounters.Sample> drives = new LinkedHashMap<>();
    for (BlockStats e : entries) {
      String drive = driveName(e);
      if (drive != null) {
        drives.put(drive, new BlockCounters.Sample(e.rdBytes(), e.wrBytes(), e.rdOperations(), e.wrOperations()));
      }
    }
    return drives;
  }

  private static String driveName(BlockStats e) {
    for (String value : new String[] {e.device(), e.qdev(), e.nodeName()}) {
      if (value != null && !value.isEmpty()) {
        // qdev paths look like /machine/peripheral/disk0/virtio-backend: keep the id
        if (value.startsWith(PERIPHERAL)) {
          String rest = value.substring(PERIPHERAL.length());
          int slash = rest.indexOf('/');
          return slash < 0 ? rest : rest.substring(0, slash);
        }
        return value;
      }
    }
    return null;
  }
}
