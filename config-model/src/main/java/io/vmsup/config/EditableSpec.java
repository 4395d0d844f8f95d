package io.vmsup.config;

import io.vmsup.config.impl.SpecEditor;

/**
 * A valid {@link VmSpec} together with the JSON text it was read from, and the edits a running VM's spec goes
 * through (hot-plug, the CPU count). Immutable: every edit returns a new {@link SpecEdit}. An edit changes the JSON
 * and then parses and validates the result with the very parser {@link VmSpecs#parse(String)} uses, so an edited
 * spec passes exactly the rules a new spec passes (field rules, references, buses, PCI placement, limits); every
 * problem comes back at once, each with its JSON path in the edited spec ({@code devices[3].file}). Fields the edit
 * does not touch keep their text.
 *
 * <p>Typed devices ({@link #withDevice(Device)}) are written as the spec's JSON device format; a kind gains its writer
 * in {@code impl/DeviceWriter} together with its parser.
 */
public interface EditableSpec {

  /**
   * Parses and validates a spec (as {@link VmSpecs#parse(String)}) for editing.
   *
   * @return {@link SpecEdit.Applied} with the spec, or {@link SpecEdit.Refused} with every violation
   */
  static SpecEdit parse(String json) {
    return SpecEditor.parse(json);
  }

  /**
   * A spec parsed earlier together with its text (a VM's stored definition): no second parse.
   *
   * @param spec what {@link VmSpecs#parse(String)} made of {@code json}
   * @param json the spec's JSON text; edits apply to it and are validated as a whole, so a result is always valid
   */
  static EditableSpec of(VmSpec spec, String json) {
    return new SpecEditor(spec, json);
  }

  /** The typed spec. */
  VmSpec spec();

  /** The spec's JSON text, what a VM's {@code spec.json} stores. */
  String json();

  /**
   * Appends a device given in the spec's JSON device format (an element of {@code devices}) at index
   * {@code spec().devices().size()}. A JSON syntax error or a value that is not an object is refused at path
   * {@code devices[N]}.
   */
  SpecEdit withDevice(String deviceJson);

  /**
   * Appends a typed device.
   *
   * @throws IllegalArgumentException for a kind without a JSON writer yet (only disk and nic have one)
   */
  SpecEdit withDevice(Device device);

  /** Appends a disk. */
  default SpecEdit withDisk(Disk disk) {
    return withDevice(disk);
  }

  /** Appends a NIC. */
  default SpecEdit withNic(Nic nic) {
    return withDevice(nic);
  }

  /**
   * Removes the device with this id. Refused at path {@code devices} when there is none, and with the usual
   * violations when another device still refers to it (a disk's iothread, a port's bus).
   */
  SpecEdit withoutDevice(String id);

  /** Sets {@code smp.cpus}; refused like a new spec beyond {@code smp.maxCpus} or the topology. */
  SpecEdit withCpus(int cpus);

  /** {@code smp.cpus + 1} (a hot-plugged vCPU). */
  default SpecEdit withOneMoreCpu() {
    return withCpus(spec().smp().cpus() + 1);
  }

  /** {@code smp.cpus - 1} (a hot-unplugged vCPU). */
  default SpecEdit withOneCpuLess() {
    return withCpus(spec().smp().cpus() - 1);
  }
}
