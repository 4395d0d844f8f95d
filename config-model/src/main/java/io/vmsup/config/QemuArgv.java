package io.vmsup.config;

import io.vmsup.config.impl.ArgvRenderer;
import io.vmsup.config.impl.QemuOpts;
import java.util.List;

/**
 * Renders a spec to the exact QEMU 7.2 command line, one list element per argument, in the fixed order documented
 * in {@code docs/vm-spec.md}. Element 0 is the context's binary ({@value #BINARY} in the portable form). The
 * launch form ({@link RenderContext#launch}) is executed as it is: nothing is added or replaced after rendering.
 */
public final class QemuArgv {

  /** The binary named in element 0. */
  public static final String BINARY = "qemu-system-x86_64";

  private QemuArgv() {
  }

  /**
   * Renders the command line. Never drops anything: every field and device of a valid spec is rendered.
   *
   * @param spec a valid spec
   * @param ctx  host facts and runtime arguments
   * @return the argv, starting with the context's binary
   */
  public static List<String> render(VmSpec spec, RenderContext ctx) {
    return ArgvRenderer.render(spec, ctx);
  }

  /**
   * Renders the command line with the VM's PCI layout: every device in it gets {@code bus=...,addr=...}, and the
   * layout's planned root ports are rendered before the spec's devices.
   *
   * @param layout the VM's stored layout ({@link PciPlans}); {@link PciLayout#empty()} renders no addresses
   */
  public static List<String> render(VmSpec spec, RenderContext ctx, PciLayout layout) {
    return ArgvRenderer.render(spec, ctx, layout);
  }

  /**
   * Only the runtime arguments of {@link #render}, in the same form: for tools that start QEMU without a spec (the
   * benchmarks) and for recognising a VM's QEMU by its command line.
   *
   * @param runtime the runtime paths; null fields are left out
   * @return the arguments, possibly empty
   */
  public static List<String> runtimeArgs(RuntimeArgs runtime) {
    return ArgvRenderer.runtimeOnly(runtime);
  }

  /**
   * A value as it appears inside a {@code key=value,...} argument: commas doubled by the one escaper.
   *
   * @param value any text (a path, a name)
   * @return the escaped text
   */
  public static String escape(String value) {
    return QemuOpts.escape(value);
  }
}
