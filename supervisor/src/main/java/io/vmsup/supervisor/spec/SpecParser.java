package io.vmsup.supervisor.spec;

/** Turns a VM spec's JSON text into a {@link VmDefinition}. */
public interface SpecParser {

  /**
   * Parses and validates a spec, including the checks against this host.
   *
   * @throws io.vmsup.supervisor.api.VmException INVALID with every violation as {@code {"path","message"}}
   */
  VmDefinition parse(String json);

  /**
   * Parses a spec stored earlier (daemon start): validated, but not against this host, whose problems (an image
   * deleted while QEMU keeps it open) must not drop the VM from supervision; they show when it next starts.
   */
  default VmDefinition parseStored(String json) {
    return parse(json);
  }
}
