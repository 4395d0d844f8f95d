package io.vmsup.supervisor.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a spec argument: a file path, or {@code -} for standard input. */
final class SpecInput {

  private SpecInput() {
  }

  /** The spec text; throws IOException with a readable message when the file cannot be read. */
  static String read(String arg, InputStream stdin) throws IOException {
    if (arg.equals("-")) {
      return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
    }
    Path path = Path.of(arg);
    if (!Files.isRegularFile(path)) {
      throw new IOException("no such file: " + arg);
    }
    return Files.readString(path, StandardCharsets.UTF_8);
  }
}
