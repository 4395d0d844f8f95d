package io.vmsup.config;

import java.util.List;

/** The outcome of {@link VmSpecs#parse(String)}: either a valid spec or every problem found. */
public sealed interface SpecResult {

  /** The spec parsed and validated; it always renders. */
  record Valid(VmSpec spec) implements SpecResult {
  }

  /** The spec is invalid; {@code violations} is never empty and lists every problem at once. */
  record Invalid(List<Violation> violations) implements SpecResult {
    public Invalid {
      violations = List.copyOf(violations);
    }
  }
}
