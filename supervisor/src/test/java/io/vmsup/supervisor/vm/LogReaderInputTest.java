package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import org.junit.jupiter.api.Test;

/** {@code vmsup.internal.log} refuses a hostile {@code lines} before any file is touched. */
class LogReaderInputTest {

  @Test
  void linesThatAreNotAWholeNumberFromZeroTo5000AreInvalidWithTheirPath() {
    for (Object lines : new Object[] {null, -1, 5001, "10", 2.5, Long.MAX_VALUE, new JsonObject()}) {
      JsonObject body = new JsonObject().put("name", "a").put("lines", lines);
      Throwable t = LogReader.of(null, body).cause();
      assertThat(t).as("lines %s", lines).isInstanceOfSatisfying(VmException.class, e -> {
        assertThat(e.code()).isEqualTo(ErrorCode.INVALID);
        assertThat(e.details().getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo("lines");
      });
    }
  }
}
