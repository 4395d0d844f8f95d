package io.vmsup.supervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vmsup.supervisor.audit.impl.BusGateImpl;
import org.junit.jupiter.api.Test;

/**
 * A host's own addresses map back to the plain ones, so the audit gate and the token scopes treat {@code
 * vmsup.host.<id>.image.delete} exactly as {@code vmsup.image.delete}; anything else stays as it is.
 */
class AddressesTest {

  @Test
  void hostFormsOfVmImageAndNetworkAddressesAreTheirPlainOnes() {
    for (Op op : Op.values()) {
      if (op.target() != Op.Target.FLEET && op.address().startsWith("vmsup.") && !op.address().startsWith(
          "vmsup.internal.")) {
        assertThat(Addresses.plain(Addresses.onHost("h2", op.address()))).as(op.name()).isEqualTo(op.address());
      }
    }
    assertThat(Addresses.plain("vmsup.host.h2.image.delete")).isEqualTo("vmsup.image.delete");
    assertThat(BusGateImpl.mutating(Addresses.plain("vmsup.host.h2.image.delete"))).isTrue();
    assertThat(BusGateImpl.mutating(Addresses.plain("vmsup.host.h2.network.create"))).isTrue();
    assertThat(BusGateImpl.mutating(Addresses.plain("vmsup.host.h2.image.list"))).isFalse();
    assertThat(BusGateImpl.mutating(Addresses.plain("vmsup.host.h2.network.get"))).isFalse();
  }

  @Test
  void otherAddressesStayAsTheyAre() {
    assertThat(Addresses.plain("vmsup.host.h2.info")).isEqualTo("vmsup.host.h2.info");
    assertThat(Addresses.plain("vmsup.host.h2.imagex.list")).isEqualTo("vmsup.host.h2.imagex.list");
    assertThat(Addresses.plain("vmsup.host..image.list")).isEqualTo("vmsup.host..image.list");
    assertThat(Addresses.plain("vmsup.host.h2.internal.log")).isEqualTo("vmsup.host.h2.internal.log");
    assertThat(Addresses.plain(null)).isNull();
  }
}
