package io.vmsup.supervisor.store;

/** One VM as found in the state directory: its spec text, desired state and last runtime record (nullable). */
public record StoredVm(String name, String specJson, Desired desired, RuntimeRecord runtime) {
}
