package io.vmsup.supervisor.store;

/**
 * One VM as found in the state directory: its spec text, desired state, last runtime record (nullable) and its PCI
 * layout text ({@code pci.json}; null for a VM created before layouts were stored, until its next start).
 */
public record StoredVm(String name, String specJson, Desired desired, RuntimeRecord runtime, String layoutJson) {
}
