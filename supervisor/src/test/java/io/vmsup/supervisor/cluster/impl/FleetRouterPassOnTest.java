package io.vmsup.supervisor.cluster.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import org.junit.jupiter.api.Test;

/**
 * What a caller is told when a request forwarded to the VM's owner in a fleet gets no answer: a timeout may have been
 * carried out ({@code "effect": "unknown"}, never a plain failure), a request no handler read never ran, the owner's
 * own failure passes unchanged.
 */
class FleetRouterPassOnTest {

  @Test
  void aTimeoutOfTheOwnerSaysTheEffectIsUnknown() {
    VmException e = (VmException) FleetRouter.passOn(new ReplyException(ReplyFailure.TIMEOUT, -1,
        "Timed out after waiting 30000(ms) for a reply. address: __vertx.reply.1, repliedAddress: x"), "hb");
    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(e.details().getString("effect")).isEqualTo("unknown");
    assertThat(e.details().getString("host")).isEqualTo("hb");
    assertThat(e.getMessage()).contains("host 'hb' did not answer").contains("whether it took effect is unknown");
  }

  @Test
  void aRequestNoHandlerReadClaimsNoEffect() {
    VmException none = (VmException) FleetRouter.passOn(new ReplyException(ReplyFailure.NO_HANDLERS, -1,
        "No handlers for address vmsup.host.hb.vm.pause"), "hb");
    assertThat(none.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(none.details().containsKey("effect")).isFalse();
    VmException discarded = (VmException) FleetRouter.passOn(new ReplyException(ReplyFailure.TIMEOUT, -1,
        "Discarded the request. address: vmsup.host.hb.vm.pause"), "hb");
    assertThat(discarded.details().containsKey("effect")).as(discarded.toJson().encode()).isFalse();
  }

  @Test
  void theOwnersOwnFailurePassesUnchanged() {
    String body = new JsonObject().put("code", 409).put("error", "conflict").put("message", "VM 'x' is not running")
        .put("state", "STOPPED").encode();
    VmException e = (VmException) FleetRouter.passOn(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, body),
        "hb");
    assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(e.details()).isEqualTo(new JsonObject().put("state", "STOPPED"));
  }
}
