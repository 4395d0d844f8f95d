package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.vmsup.supervisor.http.TokenFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A daemon refuses to start on an untrusted token file, and says how to fix it. */
class TokenFileIT {

  @TempDir
  Path state;

  @Test
  void anOpenOneCharacterTokenStopsTheDaemonFromStarting() throws Exception {
    Path token = state.resolve("token");
    Files.writeString(token, "x\n");
    Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-rw-rw-"));
    Throwable failure = catchThrowable(() -> DaemonFixture.start(state));
    assertThat(failure).hasRootCauseInstanceOf(TokenFileException.class);
    assertThat(failure.getCause().getMessage()).contains("chmod 600 " + token).contains("bits of entropy")
        .contains("delete the file");
    assertThat(state.resolve("endpoint.json")).doesNotExist();
  }
}
