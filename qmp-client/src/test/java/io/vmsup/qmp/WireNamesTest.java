package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The enums' wire names, now computed once: each decodes back to itself; anything else is UNKNOWN. */
class WireNamesTest {

  @Test
  void everyRunStateAndMigrationStatusRoundTripsAndTheRestIsUnknown() {
    for (RunState s : RunState.values()) {
      assertThat(RunState.fromWire(s.wire())).isEqualTo(s);
    }
    for (MigrationStatus s : MigrationStatus.values()) {
      assertThat(MigrationStatus.fromWire(s.wire())).isEqualTo(s);
    }
    assertThat(RunState.FINISH_MIGRATE.wire()).isEqualTo("finish-migrate");
    assertThat(RunState.fromWire("RUNNING")).isEqualTo(RunState.UNKNOWN);
    assertThat(RunState.fromWire("brand-new-state")).isEqualTo(RunState.UNKNOWN);
    assertThat(RunState.fromWire(null)).isEqualTo(RunState.UNKNOWN);
    assertThat(MigrationStatus.fromWire("postcopy-active")).isEqualTo(MigrationStatus.POSTCOPY_ACTIVE);
    assertThat(MigrationStatus.fromWire("")).isEqualTo(MigrationStatus.UNKNOWN);
  }
}
