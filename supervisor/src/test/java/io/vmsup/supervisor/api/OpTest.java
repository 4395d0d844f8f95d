package io.vmsup.supervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** One name per command: every request address of {@link Addresses} is exactly one {@link Op}'s. */
class OpTest {

  @Test
  void everyRequestAddressIsOneOp() throws Exception {
    Set<String> requests = new TreeSet<>();
    for (Field f : Addresses.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String a = (String) f.get(null);
        // published, never requested: the events, the consoles and the members' relocatable announcements
        if (!a.equals(Addresses.EVENTS) && !a.startsWith("vmsup.vm.console.")
            && !a.equals(Addresses.FLEET_RELOCATABLE)) {
          requests.add(a);
        }
      }
    }
    Set<String> ops = Arrays.stream(Op.values()).map(Op::address).collect(Collectors.toCollection(TreeSet::new));
    assertThat(ops).hasSize(Op.values().length).isEqualTo(requests);
  }

  @Test
  void verbsRoundTripAndActionsAreTheLifecycleVerbs() {
    for (Op op : Op.values()) {
      assertThat(Op.ofVerb(op.verb())).contains(op);
    }
    assertThat(Arrays.stream(Op.values()).filter(Op::action).map(Op::verb))
        .containsExactly("start", "stop", "kill", "pause", "resume", "reset");
    assertThat(Op.action("qmp")).isEmpty();
    assertThat(Op.action("bogus")).isEmpty();
    assertThat(Op.ofVerb(null)).isEmpty();
    assertThat(Op.CREATE.forwarded()).isFalse();
    assertThat(Op.QUERY.forwarded()).isTrue();
  }
}
