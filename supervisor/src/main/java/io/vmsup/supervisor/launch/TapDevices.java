package io.vmsup.supervisor.launch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import io.vmsup.config.Nic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens the host side of a tap or macvtap NIC for the hand-over to QEMU ({@link HandOver}): one descriptor per queue.
 * A tap is {@code /dev/net/tun} attached to the NIC's {@code ifname} ({@code TUNSETIFF}, with a virtio-net header so
 * QEMU can offload; an interface of that name that does not exist is created and lives as long as QEMU holds it); a
 * macvtap is the character device {@code /dev/tapN} of the link named {@code ifname} ({@code N} its ifindex). Needs
 * CAP_NET_ADMIN for a tap (the daemon runs as root). It also opens the file of an incoming migration. Blocking.
 */
public final class TapDevices {

  private static final int O_RDONLY = 0;
  private static final int O_RDWR = 02;
  private static final int O_NONBLOCK = 04000;
  private static final int O_CLOEXEC = 02000000;
  private static final long TUNSETIFF = 0x400454caL;
  private static final short IFF_TAP = 0x0002;
  private static final short IFF_NO_PI = 0x1000;
  private static final short IFF_VNET_HDR = 0x4000;
  private static final short IFF_MULTI_QUEUE = 0x0100;
  /** {@code struct ifreq}: a 16-byte name, then a union whose first member is the short flags. */
  private static final int IFREQ_SIZE = 40;

  /** The few libc calls, with errno as {@link LastErrorException}. */
  interface LibC extends Library {
    int open(String path, int flags) throws LastErrorException;

    int ioctl(int fd, NativeLong request, byte[] ifreq) throws LastErrorException;

    int close(int fd) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private TapDevices() {
  }

  /**
   * Opens the NIC's interface, one descriptor per queue; the caller closes them ({@link #close}) once QEMU has its
   * own copies.
   *
   * @throws IOException naming the interface and the reason (no such macvtap link, permission, busy, ...)
   * @throws IllegalArgumentException for a NIC that is not {@link Nic#handedOver()}
   */
  public static List<Integer> open(Nic nic) throws IOException {
    if (!nic.handedOver() || nic.ifname().isEmpty()) {
      throw new IllegalArgumentException("NIC " + nic.id() + " has no interface for the daemon to open");
    }
    String ifname = nic.ifname().get();
    List<Integer> fds = new ArrayList<>();
    try {
      for (int q = 0; q < nic.queues(); q++) {
        fds.add(nic.backend() == Nic.Backend.TAP ? tap(ifname, nic.queues() > 1) : macvtap(ifname));
      }
      return fds;
    } catch (IOException | RuntimeException e) {
      close(fds);
      throw e;
    }
  }

  /** Closes descriptors from {@link #open}; never throws. */
  public static void close(List<Integer> fds) {
    for (int fd : fds) {
      try {
        Holder.C.close(fd);
      } catch (LastErrorException ignored) {
        // closing is best effort: the descriptor is gone either way
      }
    }
  }

  /**
   * Opens a host file read-only for a hand-over (the saved state of an incoming migration); the caller closes the
   * descriptor ({@link #close}) once QEMU has its own copy.
   *
   * @throws IOException naming the file and the reason
   */
  public static int openForReading(Path file) throws IOException {
    // non-blocking, so a FIFO in its place cannot hang the worker; refused below as not a regular file
    int fd = sys("open " + file + " for reading",
        () -> Holder.C.open(file.toString(), O_RDONLY | O_NONBLOCK | O_CLOEXEC));
    // what was opened, not what the name points to now
    if (!Files.isRegularFile(Path.of("/proc/self/fd", Integer.toString(fd)))) {
      close(List.of(fd));
      throw new IOException(file + " is not a regular file");
    }
    return fd;
  }

  private static int tap(String ifname, boolean multiQueue) throws IOException {
    int fd = sys("open /dev/net/tun for tap " + ifname, () -> Holder.C.open("/dev/net/tun", O_RDWR | O_CLOEXEC));
    byte[] ifreq = new byte[IFREQ_SIZE];
    byte[] name = ifname.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, ifreq, 0, Math.min(name.length, 15));
    short flags = (short) (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (multiQueue ? IFF_MULTI_QUEUE : 0));
    // little-endian short at offset 16 (x86_64, aarch64)
    ifreq[16] = (byte) flags;
    ifreq[17] = (byte) (flags >> 8);
    try {
      sys("attach to tap " + ifname + " (TUNSETIFF" + (multiQueue ? ", multi-queue" : "") + ")",
          () -> Holder.C.ioctl(fd, new NativeLong(TUNSETIFF), ifreq));
      return fd;
    } catch (IOException e) {
      close(List.of(fd));
      throw e;
    }
  }

  private static int macvtap(String ifname) throws IOException {
    Path index = Path.of("/sys/class/net", ifname, "ifindex");
    String n;
    try {
      n = Files.readString(index).trim();
    } catch (NoSuchFileException e) {
      throw new IOException("macvtap link " + ifname + " does not exist (no " + index + ")");
    }
    String dev = "/dev/tap" + Integer.parseInt(n);
    return sys("open " + dev + " of macvtap link " + ifname, () -> Holder.C.open(dev, O_RDWR | O_CLOEXEC));
  }

  private interface Call {
    int run();
  }

  private static int sys(String what, Call call) throws IOException {
    try {
      return call.run();
    } catch (LastErrorException e) {
      throw new IOException("cannot " + what + ": " + e.getMessage());
    }
  }
}
