package io.vmsup.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Options refuse what would put a broken header or address on the bus. */
class ClientOptionsTest {

  @Test
  void hostileValuesAreRefusedWithTheReason() {
    ClientOptions d = ClientOptions.defaults();
    assertThatThrownBy(() -> d.withToken("two words")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> d.withToken("line\nbreak")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> d.withToken("")).hasMessageContaining("printable ASCII");
    assertThatThrownBy(() -> d.withTimeout(Duration.ZERO)).hasMessageContaining("positive");
    assertThatThrownBy(() -> d.withHost("h1.vm.start.x y")).hasMessageContaining("host id");
    assertThatThrownBy(() -> d.withHost("")).hasMessageContaining("host id");
    assertThat(d.withHost("h-2").withToken("abc").host()).isEqualTo("h-2");
  }
}
