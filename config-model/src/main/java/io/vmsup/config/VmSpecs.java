package io.vmsup.config;

import io.vmsup.config.impl.SpecParser;

/** Entry point: turns JSON text into a validated {@link VmSpec}. */
public final class VmSpecs {

  private VmSpecs() {
  }

  /**
   * Parses and validates a VM spec. Never throws on bad input: JSON syntax errors (with line and column), duplicate
   * keys, unknown fields and every semantic problem are returned as {@link SpecResult.Invalid}.
   *
   * @param json the spec text (see {@code docs/vm-spec.md})
   * @return {@link SpecResult.Valid} or {@link SpecResult.Invalid} with all violations
   */
  public static SpecResult parse(String json) {
    return SpecParser.parse(json);
  }
}
