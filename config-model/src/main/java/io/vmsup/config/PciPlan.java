package io.vmsup.config;

import java.util.List;

/**
 * The outcome of planning PCI addresses: the layout, or the reasons it cannot be made (each with its JSON path).
 *
 * @param layout     the new layout (the input layout when {@code violations} is not empty)
 * @param violations why an address could not be given; empty on success
 */
public record PciPlan(PciLayout layout, List<Violation> violations) {

  public PciPlan {
    violations = List.copyOf(violations);
  }

  /** True when every device got its address. */
  public boolean ok() {
    return violations.isEmpty();
  }
}
