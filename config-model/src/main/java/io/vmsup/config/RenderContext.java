package io.vmsup.config;

import java.util.Objects;

/**
 * What rendering needs besides the spec.
 *
 * @param host    host facts (the accelerator choice)
 * @param runtime supervisor-owned arguments
 */
public record RenderContext(HostFacts host, RuntimeArgs runtime) {

  public RenderContext {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(runtime, "runtime");
  }

  /** A context without runtime arguments. */
  public static RenderContext of(HostFacts host) {
    return new RenderContext(host, RuntimeArgs.none());
  }
}
