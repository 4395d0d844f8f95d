package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client's runnable example compiles against vmsup-client and vertx-core alone (what a service adds), so it
 * follows every change of the client's API. Running it needs a fleet (docs/fleet.md, "Java client").
 */
class ClientExamplesTest {

  @Test
  void theJavaExampleCompilesAgainstTheClientAndVertxCoreOnly(@TempDir Path out) throws Exception {
    Path example = Path.of("..", "examples", "clients", "java", "VmsupClientExample.java").toAbsolutePath();
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    StringBuilder minimal = new StringBuilder();
    for (String entry : cp.split(java.io.File.pathSeparator)) {
      // only the client's classes and vertx-core with its own dependencies (Netty, Jackson)
      if (entry.contains("vertx-core") || entry.contains("netty") || entry.contains("jackson")
          || entry.replace('\\', '/').contains("/client/target/")) {
        minimal.append(entry).append(java.io.File.pathSeparator);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    int code = javac.run(null, null, errors, "-d", out.toString(), "-cp", minimal.toString(), example.toString());
    assertThat(code).as(errors.toString()).isZero();
    assertThat(Files.exists(out.resolve("VmsupClientExample.class"))).isTrue();
  }
}
