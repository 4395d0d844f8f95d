package io.vmsup.supervisor.spec;

/** Turns a VM spec's JSON text into a {@link VmDefinition}. */
public interface SpecParser {

  /**
   * Parses and validates a spec, including the checks against this host.
   *
   * @throws io.vmsup.supervisor.api.VmException INVALID with every violation as {@code {"path","message"}}
   */
  VmDefinition parse(String json);
}
