package io.vmsup.supervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The Java client's mirror of the daemon's failure codes is whole: a code the daemon sends is never INTERNAL there. */
class ClientErrorCodesTest {

  @Test
  void everyDaemonCodeHasItsTwinInTheClient() {
    for (ErrorCode daemon : ErrorCode.values()) {
      io.vmsup.client.ErrorCode client = io.vmsup.client.ErrorCode.of(daemon.label(), daemon.code());
      assertThat(client.name()).as(daemon.name()).isEqualTo(daemon.name());
      assertThat(client.code()).as(daemon.name()).isEqualTo(daemon.code());
      assertThat(client.label()).as(daemon.name()).isEqualTo(daemon.label());
    }
  }
}
