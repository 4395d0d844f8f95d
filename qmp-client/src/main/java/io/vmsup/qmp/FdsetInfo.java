package io.vmsup.qmp;

import java.util.List;

/**
 * One fd set from {@code query-fdsets}.
 *
 * @param fds QEMU's descriptor numbers in the set
 */
public record FdsetInfo(int fdsetId, List<Integer> fds) {

  public FdsetInfo {
    fds = List.copyOf(fds);
  }
}
