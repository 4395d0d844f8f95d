package io.vmsup.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Makes what a spec's devices need on this host, below one work directory: disk images ({@code qemu-img}), flash
 * images, a stub kernel, shared directories, FIFOs, tap devices in the test's network namespace and a virtiofsd.
 * Closing removes the taps and stops virtiofsd.
 */
final class CaseHost implements AutoCloseable {

  static final String VIRTIOFSD = "/usr/lib/qemu/virtiofsd";

  private final String netns;
  private final List<String> taps = new ArrayList<>();
  private final List<Process> daemons = new ArrayList<>();

  private final Path vmDir;

  CaseHost(String netns) {
    this(netns, null);
  }

  /** With the VM's directory: a disk whose file lies in it (a made disk, the cloud-init seed) is made there. */
  CaseHost(String netns, Path vmDir) {
    this.netns = netns;
    this.vmDir = vmDir;
  }

  /** Creates everything the spec refers to; paths were already moved below the work directory. */
  void prepare(VmSpec spec) throws Exception {
    for (Device d : spec.devices()) {
      prepare(d);
    }
    for (Pflash p : spec.pflash()) {
      write(p.file(), new byte[256 * 1024]);
    }
    if (spec.kernel().isPresent()) {
      write(spec.kernel().get().path(), stubKernel());
      if (spec.kernel().get().initrd().isPresent()) {
        write(spec.kernel().get().initrd().get(), new byte[] {0x1f, (byte) 0x8b});
      }
    }
    for (FwCfgEntry f : spec.fwCfg()) {
      if (f.file().isPresent()) {
        write(f.file().get(), "fw_cfg blob".getBytes(StandardCharsets.US_ASCII));
      }
    }
  }

  private void prepare(Device d) throws Exception {
    if (d instanceof Disk disk) {
      String file = disk.inVmDir() && vmDir != null ? vmDir.resolve(disk.file()).toString() : disk.file();
      parent(file);
      Commands.run(List.of("qemu-img", "create", "-q", "-f", disk.format().name().toLowerCase(Locale.ROOT),
          file, "64M"));
    } else if (d instanceof Filesystem9p fs) {
      Files.createDirectories(Path.of(fs.path()));
    } else if (d instanceof MemoryBackend m && m.path().isPresent()) {
      parent(m.path().get());
    } else if (d instanceof Chardev c) {
      chardev(c);
    } else if (d instanceof Nic n && n.backend() == Nic.Backend.TAP && n.ifname().isPresent()) {
      List<String> add = new ArrayList<>(List.of("ip", "netns", "exec", netns, "ip", "tuntap", "add", "dev",
          n.ifname().get(), "mode", "tap"));
      if (n.queues() > 1) {
        add.add("multi_queue");
      }
      Commands.run(add);
      taps.add(n.ifname().get());
    } else if (d instanceof VirtioFs fs) {
      virtiofsd(Path.of(fs.socket()));
    } else if (d instanceof VhostUserBlk x) {
      parent(x.socket());
    } else if (d instanceof VhostUserScsi x) {
      parent(x.socket());
    }
  }

  private void chardev(Chardev c) throws IOException {
    c.logfile().ifPresent(CaseHost::parentUnchecked);
    if (c.path().isEmpty() || c.backend() == Chardev.Backend.SERIAL) {
      return;
    }
    parent(c.path().get());
    if (c.backend() == Chardev.Backend.PIPE) {
      Commands.run(List.of("mkfifo", c.path().get() + ".in", c.path().get() + ".out"));
    }
  }

  /** Starts virtiofsd on the socket and waits until the socket exists. */
  private void virtiofsd(Path socket) throws Exception {
    Path shared = socket.resolveSibling("shared");
    Files.createDirectories(shared);
    try (WatchService watch = FileSystems.getDefault().newWatchService()) {
      socket.getParent().register(watch, StandardWatchEventKinds.ENTRY_CREATE);
      // sandbox=chroot: the default namespace sandbox cannot be set up inside this machine's container
      Process p = new ProcessBuilder(VIRTIOFSD, "--socket-path=" + socket, "-o", "source=" + shared, "-o",
          "cache=none", "-o", "sandbox=chroot").redirectErrorStream(true)
          .redirectOutput(socket.resolveSibling("virtiofsd.log").toFile()).start();
      daemons.add(p);
      long deadline = System.currentTimeMillis() + 10_000;
      while (!Files.exists(socket)) {
        if (!p.isAlive() || System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("virtiofsd did not create " + socket + ": "
              + Files.readString(socket.resolveSibling("virtiofsd.log")));
        }
        var key = watch.poll(100, TimeUnit.MILLISECONDS);
        if (key != null) {
          key.pollEvents();
          key.reset();
        }
      }
    }
  }

  /**
   * A minimal x86 boot-protocol 2.15 header: enough for QEMU to load it (and an initrd) at machine creation; the
   * guest never runs because the ITs start QEMU with -S.
   */
  static byte[] stubKernel() {
    ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0x1f1, (byte) 4);                 // setup_sects
    b.putShort(0x1fe, (short) 0xaa55);      // boot_flag
    b.putInt(0x202, 0x53726448);            // "HdrS"
    b.putShort(0x206, (short) 0x020f);      // protocol version
    b.put(0x211, (byte) 1);                 // loadflags: LOADED_HIGH
    b.putInt(0x22c, 0x37ffffff);            // initrd_addr_max
    return b.array();
  }

  private static void write(String file, byte[] content) throws IOException {
    parent(file);
    Files.write(Path.of(file), content);
  }

  private static void parent(String file) throws IOException {
    Files.createDirectories(Path.of(file).getParent());
  }

  private static void parentUnchecked(String file) {
    try {
      parent(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws Exception {
    for (Process p : daemons) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (String tap : taps) {
      Commands.run(List.of("ip", "netns", "exec", netns, "ip", "link", "del", tap));
    }
  }
}
