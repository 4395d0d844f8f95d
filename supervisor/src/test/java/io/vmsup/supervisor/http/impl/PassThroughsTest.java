package io.vmsup.supervisor.http.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vmsup.supervisor.api.Addresses;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The edge asks the registry again only when the VM's own address read nothing: never twice for a command that ran. */
class PassThroughsTest {

  @Test
  void onlyAnUnreadRequestIsAskedAgain() {
    assertThat(PassThroughs.unread(new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers for address x")))
        .isTrue();
    assertThat(PassThroughs.unread(new ReplyException(ReplyFailure.TIMEOUT,
        "Discarded the request. address: __vertx.reply.1, repliedAddress: vmsup.vm.qmp.a"))).isTrue();
    assertThat(PassThroughs.unread(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting 30000(ms) for a reply. address: __vertx.reply.1"))).isFalse();
    assertThat(PassThroughs.unread(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, "no VM named 'a'"))).isFalse();
    assertThat(PassThroughs.unread(new ReplyException(ReplyFailure.TIMEOUT, null))).isFalse();
    assertThat(PassThroughs.unread(new IllegalStateException("Discarded the request"))).isFalse();
  }

  @Test
  void onlyANameWrittenAsItselfIsTakenWithoutThePathRoute() {
    assertThat(PassThroughs.plainName("/v1/vms/a/qmp")).isEqualTo("a");
    assertThat(PassThroughs.plainName("/v1/vms/Web-1.a_b,c+d/qmp")).isEqualTo("Web-1.a_b,c+d");
    assertThat(PassThroughs.plainName("/v1/vms/0/qmp")).isEqualTo("0");
    // what Vert.x Web would decode or normalise (or no name at all): left to the path route
    for (String path : new String[] {"/v1/vms//qmp", "/v1/vms/qmp", "/v1/vms/./qmp", "/v1/vms/../qmp", "/v1/vms/.a/qmp",
        "/v1/vms/-a/qmp", "/v1/vms/a%31/qmp", "/v1/vms/a%2Fb/qmp", "/v1/vms/a/b/qmp", "/v1/vms/\u00e9/qmp",
        "/v1/vms/a b/qmp", "/v1/vms/a;b/qmp", "/v1/vms/a/qmp/", "/v1/vm/a/qmp", "/v1/vms/a/qmpx", "", "/"}) {
      assertThat(PassThroughs.plainName(path)).as(path).isNull();
    }
  }

  @Test
  void theVmsOwnAddressFirstThenTheRegistryOnlyWhenUnread() {
    List<String> asked = new ArrayList<>();
    Future<Message<Object>> r = PassThroughs.send("a", true, address -> {
      asked.add(address);
      return Future.failedFuture(address.equals(Addresses.QMP)
          ? new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 404, "no VM named 'a'")
          : new ReplyException(ReplyFailure.NO_HANDLERS, "none"));
    });
    assertThat(asked).containsExactly(Addresses.passThrough("a"), Addresses.QMP);
    assertThat(((ReplyException) r.cause()).failureCode()).isEqualTo(404);

    asked.clear();
    PassThroughs.send("a", true, address -> {
      asked.add(address);
      return Future.failedFuture(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "not running"));
    });
    assertThat(asked).containsExactly(Addresses.passThrough("a"));

    asked.clear();
    PassThroughs.send("a", false, address -> {
      asked.add(address);
      return Future.failedFuture(new ReplyException(ReplyFailure.NO_HANDLERS, "none"));
    });
    assertThat(asked).containsExactly(Addresses.QMP);
  }
}
