package io.vmsup.supervisor.http.impl;

import io.vmsup.supervisor.http.TokenFileException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The checks sshd's StrictModes makes of its key files, for the token file: a regular file (not a link), owned by
 * the daemon's user, neither readable nor writable by group or others, holding at least {@link #MIN_BITS} bits of
 * entropy (length × log2 of the smallest usual alphabet its characters come from). Blocking: call off the event loop.
 */
public final class TokenFileCheck {

  /** The least entropy a token must carry. */
  public static final int MIN_BITS = 256;

  private TokenFileCheck() {
  }

  /**
   * Reads and checks the token file.
   *
   * @return the token text, trimmed
   * @throws TokenFileException naming every problem and its fix
   * @throws IOException when the file cannot be read
   */
  public static String read(Path path) throws IOException {
    if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
      throw new TokenFileException("token file " + path + " is not a regular file (a link or a directory);"
          + " remove it to have a new one made");
    }
    List<String> problems = new ArrayList<>();
    int owner = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
    int self = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    if (owner != self) {
      problems.add("it is owned by uid " + owner + ", not by the daemon's user (uid " + self + "): chown " + self
          + " " + path);
    }
    int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 0777;
    if ((mode & 077) != 0) {
      problems.add(String.format("its mode %04o lets group or others read or write it: chmod 600 %s", mode, path));
    }
    String text = Files.readString(path, StandardCharsets.ISO_8859_1).trim();
    String weak = entropyProblem(text);
    if (weak != null) {
      problems.add(weak);
    }
    if (!problems.isEmpty()) {
      throw new TokenFileException("refusing the token file " + path + ": " + String.join("; ", problems)
          + " (or delete the file to have a new random token made at start)");
    }
    return text;
  }

  /** Why the token is too weak, or null when it carries at least {@link #MIN_BITS} bits. */
  static String entropyProblem(String token) {
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "the token must be printable ASCII without spaces (character " + (i + 1) + " is not)";
      }
    }
    int alphabet = alphabet(token);
    double bits = token.length() * (Math.log(alphabet) / Math.log(2));
    if (bits >= MIN_BITS) {
      return null;
    }
    int needed = (int) Math.ceil(MIN_BITS / (Math.log(alphabet) / Math.log(2)));
    return String.format("the token carries about %.0f bits of entropy (%d characters from a %d-symbol alphabet);"
        + " at least %d are needed (%d such characters, e.g. 64 hex digits)", bits, token.length(), alphabet,
        MIN_BITS, needed);
  }

  // the smallest usual alphabet that holds every character: hex, alphanumeric, base64, printable ASCII
  private static int alphabet(String token) {
    if (token.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      return 16;
    }
    if (token.chars().allMatch(c -> c < 128 && Character.isLetterOrDigit(c))) {
      return 62;
    }
    if (token.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || "+/=-_".indexOf(c) >= 0))) {
      return 64;
    }
    return 94;
  }
}
