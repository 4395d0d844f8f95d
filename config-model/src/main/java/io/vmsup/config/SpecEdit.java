package io.vmsup.config;

import java.util.List;

/** The outcome of an {@link EditableSpec} edit: the new, valid spec, or every problem of the edited spec. */
public sealed interface SpecEdit {

  /** The edited spec, valid as a whole. */
  record Applied(EditableSpec result) implements SpecEdit {
  }

  /** The edit would make an invalid spec; {@code violations} is never empty, each with its path in the edited spec. */
  record Refused(List<Violation> violations) implements SpecEdit {
    public Refused {
      violations = List.copyOf(violations);
      if (violations.isEmpty()) {
        throw new IllegalArgumentException("a refused edit names at least one violation");
      }
    }
  }

  /** The edited spec. @throws IllegalStateException when the edit was refused (naming the first violation) */
  default EditableSpec orElseThrow() {
    if (this instanceof Applied a) {
      return a.result();
    }
    Violation v = ((Refused) this).violations().get(0);
    throw new IllegalStateException("the edit was refused: " + v.path() + ": " + v.message());
  }
}
