package io.vmsup.supervisor.hotplug.impl;

import io.vmsup.config.VmSpec;
import io.vmsup.supervisor.spec.VmDefinition;

/** A spec that passed validation and the host checks: the supervisor's definition and config-model's typed spec. */
record Checked(VmDefinition definition, VmSpec spec) {
}
