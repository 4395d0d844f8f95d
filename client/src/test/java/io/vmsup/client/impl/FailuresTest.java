package io.vmsup.client.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vmsup.client.ErrorCode;
import io.vmsup.client.VmsupException;
import org.junit.jupiter.api.Test;

/** Every way a request can fail becomes one {@link VmsupException} with the daemon's code and details. */
class FailuresTest {

  private static VmsupException recipient(int code, String message) {
    return Failures.of("vmsup.vm.start", new ReplyException(ReplyFailure.RECIPIENT_FAILURE, code, message));
  }

  @Test
  void theDaemonsBodyGivesCodeMessageAndDetails() {
    VmsupException e = recipient(500, "{\"code\":500,\"error\":\"internal\",\"message\":\"VM 'bad' failed to start\","
        + "\"state\":\"FAILED\",\"exitCode\":1,\"logTail\":[\"no such device\"]}");
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.getMessage()).isEqualTo("VM 'bad' failed to start");
    assertThat(e.state()).isEqualTo("FAILED");
    assertThat(e.details().getInteger("exitCode")).isEqualTo(1);
    assertThat(e.details().containsKey("code")).isFalse();
    assertThat(e.getStackTrace()).isEmpty();
  }

  @Test
  void everyWireCodeMapsToItsOwnCode() {
    for (ErrorCode c : ErrorCode.values()) {
      VmsupException e = recipient(c.code(), "{\"code\":" + c.code() + ",\"error\":\"" + c.label()
          + "\",\"message\":\"m\"}");
      assertThat(e.code()).isEqualTo(c);
      assertThat(e.wireCode()).isEqualTo(c.code());
    }
  }

  @Test
  void violationsAreListedWithTheirPaths() {
    VmsupException e = recipient(400, "{\"code\":400,\"error\":\"invalid\",\"message\":\"2 violation(s)\","
        + "\"violations\":[{\"path\":\"name\",\"message\":\"bad\"},{\"path\":\"memory.size\",\"message\":\"worse\"},7]}");
    assertThat(e.violations()).extracting(VmsupException.Violation::path).containsExactly("name", "memory.size");
  }

  @Test
  void noReplyAndNoDaemonAreUnavailable() {
    VmsupException timeout = Failures.of("vmsup.vm.get", new ReplyException(ReplyFailure.TIMEOUT, "timed out"));
    assertThat(timeout.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(timeout.getMessage()).contains("vmsup.vm.get");
    // the caller stopped waiting; the daemon may have carried the request out (attack8): never read as "not done"
    assertThat(timeout.details().getString("effect")).isEqualTo("unknown");
    assertThat(timeout.getMessage()).contains("whether it took effect is unknown");
    VmsupException discarded = Failures.of("vmsup.vm.qmp.a", new ReplyException(ReplyFailure.TIMEOUT,
        "Discarded the request. address: __vertx.reply.1, repliedAddress: vmsup.vm.qmp.a"));
    assertThat(discarded.code()).isEqualTo(ErrorCode.UNAVAILABLE);
    assertThat(discarded.details().getValue("effect")).isNull();
    VmsupException none = Failures.of("vmsup.vm.get", new ReplyException(ReplyFailure.NO_HANDLERS, "none"));
    assertThat(none.code()).isEqualTo(ErrorCode.UNAVAILABLE);
  }

  @Test
  void hostileFailureBodiesKeepTheWireCode() {
    assertThat(recipient(409, "not json at all").code()).isEqualTo(ErrorCode.CONFLICT);
    assertThat(recipient(409, "not json at all").getMessage()).isEqualTo("not json at all");
    assertThat(recipient(418, "[1,2]").code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(recipient(418, "[1,2]").wireCode()).isEqualTo(418);
    assertThat(recipient(404, "{\"error\":7,\"message\":[]}").code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(recipient(404, null).code()).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(recipient(500, "{\"error\":\"conflict\",\"message\":\"m\"}").code()).isEqualTo(ErrorCode.CONFLICT);
  }

  @Test
  void anUnreadableReplyIsInternalAndNamesTheAddress() {
    VmsupException e = Failures.of("vmsup.vm.get", new Fields.BadReply("state is missing"));
    assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
    assertThat(e.getMessage()).isEqualTo("unreadable reply from vmsup.vm.get: state is missing");
  }
}
