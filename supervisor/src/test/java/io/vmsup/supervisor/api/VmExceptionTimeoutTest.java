package io.vmsup.supervisor.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import org.junit.jupiter.api.Test;

/**
 * The one decoder of a failed bus request tells a caller that stopped waiting that its request may have been carried
 * out ({@code CallerTimeoutEffectIT} proves it against a real QEMU), and claims nothing for a request dropped unread.
 */
class VmExceptionTimeoutTest {

  @Test
  void aTimeoutIsAnUnknownEffectButARequestDroppedUnreadIsNot() {
    VmException timedOut = VmException.fromReply(new ReplyException(ReplyFailure.TIMEOUT,
        "Timed out after waiting 30000(ms) for a reply. address: __vertx.reply.1, repliedAddress: vmsup.vm.qmp"));
    assertThat(timedOut.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(timedOut.details().getString("effect")).isEqualTo("unknown");
    assertThat(timedOut.getMessage()).contains("whether it took effect is unknown");
    assertThat(VmException.fromReply(new ReplyException(ReplyFailure.TIMEOUT, null)).details().getString("effect"))
        .isEqualTo("unknown");

    VmException discarded = VmException.fromReply(new ReplyException(ReplyFailure.TIMEOUT,
        "Discarded the request. address: __vertx.reply.1, repliedAddress: vmsup.vm.qmp.a"));
    assertThat(discarded.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(discarded.details().getValue("effect")).isNull();
    VmException none = VmException.fromReply(new ReplyException(ReplyFailure.NO_HANDLERS, "No handlers"));
    assertThat(none.details().getValue("effect")).isNull();
  }
}
