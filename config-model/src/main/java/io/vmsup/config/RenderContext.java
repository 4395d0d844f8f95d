package io.vmsup.config;

import java.util.Objects;

/**
 * What rendering needs besides the spec. Two forms exist: the <em>launch form</em> ({@link #launch}) is exactly the
 * command line the supervisor executes — its binary, the VM's runtime paths and the default sandbox; the
 * <em>portable form</em> ({@link #portable}) leaves all three out, for running a spec by hand.
 *
 * @param binary         element 0 of the argv: a path, or a name looked up on PATH
 * @param host           host facts (the accelerator choice)
 * @param runtime        supervisor-owned arguments
 * @param defaultSandbox the sandbox rendered when the spec configures none, or null for no {@code -sandbox}
 * @param handOver       true in the launch form: the daemon hands QEMU the descriptors of tap and macvtap NICs over
 *                       QMP after start, so they are left out and {@code -S} is added ({@link Nic#handedOver()}); false
 *                       (portable): a tap is opened by QEMU by its name, and a macvtap reads its {@code /dev/tapN} from
 *                       descriptors 3, 4... (one per queue, NICs in spec order) that whoever runs QEMU opens
 */
public record RenderContext(String binary, HostFacts host, RuntimeArgs runtime, Sandbox defaultSandbox,
    boolean handOver) {

  public RenderContext {
    Objects.requireNonNull(binary, "binary");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(runtime, "runtime");
    if (binary.isBlank()) {
      throw new IllegalArgumentException("binary must not be blank");
    }
  }

  /** No hand-over: the portable treatment of tap and macvtap NICs. */
  public RenderContext(String binary, HostFacts host, RuntimeArgs runtime, Sandbox defaultSandbox) {
    this(binary, host, runtime, defaultSandbox, false);
  }

  /** Binary {@value QemuArgv#BINARY}, the given runtime arguments, no default sandbox. */
  public RenderContext(HostFacts host, RuntimeArgs runtime) {
    this(QemuArgv.BINARY, host, runtime, null);
  }

  /** The portable form: binary {@value QemuArgv#BINARY}, no runtime arguments, no default sandbox. */
  public static RenderContext portable(HostFacts host) {
    return new RenderContext(host, RuntimeArgs.none());
  }

  /** Same as {@link #portable}. */
  public static RenderContext of(HostFacts host) {
    return portable(host);
  }

  /**
   * The launch form: what the supervisor executes for a VM, with the strict seccomp sandbox
   * ({@link Sandbox#strict()}) unless the spec configures one, and the hand-over of tap and macvtap NICs.
   */
  public static RenderContext launch(String binary, HostFacts host, RuntimeArgs runtime) {
    return new RenderContext(binary, host, runtime, Sandbox.strict(), true);
  }
}
