package io.vmsup.supervisor.image.impl;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleConsumer;

/**
 * Runs {@code qemu-img} (blocking: call on a worker). A failure is a {@link VmException}: NOT_PERSISTED (507) when the
 * tool says the disk is full, INTERNAL otherwise, with the tool's own words.
 */
public final class QemuImg {

  private static final long SHORT_SECONDS = 120;

  private final String binary;

  public QemuImg(String binary) {
    this.binary = binary;
  }

  /**
   * {@code qemu-img info --output=json} of one file, without opening its backing file (qemu-img info never does
   * unless asked for the chain).
   *
   * @param format the format to open it as, or null to let qemu-img probe
   */
  public JsonObject info(Path file, String format) {
    List<String> cmd = new ArrayList<>(List.of(binary, "info", "--output=json", "-U"));
    if (format != null) {
      cmd.add("-f");
      cmd.add(format);
    }
    cmd.add(file.toString());
    String out = run(cmd, "read " + file, null);
    try {
      return new JsonObject(out);
    } catch (DecodeException e) {
      throw new VmException(ErrorCode.INTERNAL, "qemu-img info of " + file + " printed no JSON: " + out);
    }
  }

  /** Copies {@code from} (of {@code fromFormat}) to a new {@code to} of {@code toFormat}, reporting percent done. */
  public void convert(Path from, String fromFormat, Path to, String toFormat, DoubleConsumer progress) {
    run(List.of(binary, "convert", "-p", "-f", fromFormat, "-O", toFormat, from.toString(), to.toString()),
        "copy " + from, progress);
  }

  /**
   * Copies the qcow2 {@code from} to a new qcow2 {@code to}, reporting percent done. With a {@code backing} (of
   * {@code backingFormat}) the copy is an overlay over it holding only what differs from it; without, a self-contained
   * copy. Internal snapshots are not copied.
   */
  public void copyDisk(Path from, Path to, Path backing, String backingFormat, DoubleConsumer progress) {
    List<String> cmd = new ArrayList<>(List.of(binary, "convert", "-p", "-f", "qcow2", "-O", "qcow2"));
    if (backing != null) {
      cmd.addAll(List.of("-B", backing.toString(), "-F", backingFormat));
    }
    cmd.addAll(List.of(from.toString(), to.toString()));
    run(cmd, "copy " + from, progress);
  }

  /** Creates an image of {@code format} and {@code bytes} (no backing file). */
  public void create(Path file, String format, long bytes) {
    run(List.of(binary, "create", "-q", "-f", format, file.toString(), Long.toString(bytes)), "create " + file, null);
  }

  /** Creates a qcow2 overlay over {@code backing} (of {@code backingFormat}), of {@code bytes}. */
  public void overlay(Path file, Path backing, String backingFormat, long bytes) {
    run(List.of(binary, "create", "-q", "-f", "qcow2", "-b", backing.toString(), "-F", backingFormat,
        file.toString(), Long.toString(bytes)), "create " + file, null);
  }

  /** Grows an image to {@code bytes} ({@code --shrink} is never passed: qemu-img refuses a smaller size). */
  public void resize(Path file, String format, long bytes) {
    run(List.of(binary, "resize", "-q", "-f", format, file.toString(), Long.toString(bytes)), "resize " + file, null);
  }

  /** {@code qemu-img snapshot} with one of {@code -c} (create), {@code -a} (apply), {@code -d} (delete). */
  public void snapshot(Path file, String flag, String tag) {
    run(List.of(binary, "snapshot", flag, tag, file.toString()), "snapshot " + file, null);
  }

  /** The output of {@code qemu-img snapshot -l}: one line per snapshot after a header. */
  public String snapshots(Path file) {
    return run(List.of(binary, "snapshot", "-U", "-l", file.toString()), "list snapshots of " + file, null);
  }

  private String run(List<String> cmd, String what, DoubleConsumer progress) {
    Path err = null;
    try {
      err = Files.createTempFile("vmsup-qemu-img", ".err");
      Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE)
          .start();
      p.getOutputStream().close();
      String out = progress == null ? readAll(p.getInputStream()) : readProgress(p.getInputStream(), progress);
      if (!p.waitFor(progress == null ? SHORT_SECONDS : Long.MAX_VALUE, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new VmException(ErrorCode.UNAVAILABLE, "qemu-img did not " + what + " within " + SHORT_SECONDS + " s");
      }
      if (p.exitValue() != 0) {
        throw failure(what, Files.readString(err, StandardCharsets.UTF_8).trim());
      }
      return out;
    } catch (IOException e) {
      throw new VmException(ErrorCode.INTERNAL, "cannot run " + binary + " to " + what + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VmException(ErrorCode.INTERNAL, "interrupted while qemu-img was to " + what);
    } finally {
      if (err != null) {
        try {
          Files.deleteIfExists(err);
        } catch (IOException e) {
          // a temporary file of a few bytes; the next boot's tmp clean-up takes it
        }
      }
    }
  }

  static VmException failure(String what, String stderr) {
    String said = stderr.isEmpty() ? "no message" : stderr;
    if (said.contains("No space left on device") || said.contains("Disk quota exceeded")) {
      return new VmException(ErrorCode.NOT_PERSISTED, "no space left to " + what + ": " + said,
          new JsonObject().put("cause", "No space left on device"));
    }
    return new VmException(ErrorCode.INTERNAL, "qemu-img could not " + what + ": " + said);
  }

  private static String readAll(InputStream in) throws IOException {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  // qemu-img -p rewrites one line: "    (12.34/100%)\r"; report each whole percent once
  private static String readProgress(InputStream in, DoubleConsumer progress) throws IOException {
    ByteArrayOutputStream token = new ByteArrayOutputStream();
    int last = -1;
    try (in) {
      int b;
      while ((b = in.read()) != -1) {
        if (b == '\r' || b == '\n') {
          last = report(token.toString(StandardCharsets.US_ASCII), last, progress);
          token.reset();
        } else if (token.size() < 200) {
          token.write(b);
        }
      }
    }
    report(token.toString(StandardCharsets.US_ASCII), last, progress);
    return "";
  }

  static int report(String line, int last, DoubleConsumer progress) {
    String s = line.trim();
    int slash = s.indexOf('/');
    if (!s.startsWith("(") || slash < 0) {
      return last;
    }
    try {
      double pct = Double.parseDouble(s.substring(1, slash));
      if ((int) pct != last) {
        progress.accept(pct);
        return (int) pct;
      }
    } catch (NumberFormatException e) {
      // not a progress token
    }
    return last;
  }
}
