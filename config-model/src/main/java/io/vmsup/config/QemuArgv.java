package io.vmsup.config;

import io.vmsup.config.impl.ArgvRenderer;
import java.util.List;

/**
 * Renders a spec to the exact QEMU 7.2 command line, one list element per argument, in the fixed order documented
 * in {@code docs/vm-spec.md}. Element 0 is {@value #BINARY}; a launcher may replace it with a full path.
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
   * @return the argv, starting with {@value #BINARY}
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
}
