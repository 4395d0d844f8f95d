package io.vmsup.qmp;

/**
 * The result of {@code add-fd}: where QEMU put the descriptor. Use {@code /dev/fdset/<fdsetId>} as a path.
 *
 * @param fdsetId the fd set the descriptor was added to
 * @param fd QEMU's own descriptor number (not ours)
 */
public record AddFdInfo(int fdsetId, int fd) {

  /** The path QEMU opens this fd set by: {@code /dev/fdset/N}. */
  public String path() {
    return "/dev/fdset/" + fdsetId;
  }
}
