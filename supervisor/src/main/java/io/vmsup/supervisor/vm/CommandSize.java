package io.vmsup.supervisor.vm;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The size limit of a pass-through command: its name and its arguments, as the JSON text QEMU reads, at most
 * {@link #MAX_BYTES}. QEMU 7.2's monitor reads a command one byte per main-loop turn, about 4 µs of CPU per byte,
 * and answers nothing else of that VM meanwhile (not the daemon's own probes): 64 KiB cost 0.23 s of QEMU's CPU
 * (0.75 s at load 17), 1 MiB 3.9 s (14 s). The largest commands a caller needs (a {@code blockdev-add} graph, a
 * {@code migrate-set-parameters} bitmap mapping, a batch of input events) are a few KiB.
 *
 * <p>Most commands are judged by a walk that only bounds their size (a string of n characters is at most 6n + 2
 * bytes), without encoding them; only one that may be near the limit is encoded to be measured.
 */
final class CommandSize {

  /** The largest pass-through command (its name and arguments as JSON), in bytes. */
  static final int MAX_BYTES = 64 * 1024;

  private long room;

  private CommandSize(long room) {
    this.room = room;
  }

  /** Why {@code execute} with {@code args} may not be sent (TOO_LARGE, 413), or null when it may. */
  static VmException refusal(String execute, JsonObject args) {
    CommandSize bound = new CommandSize(MAX_BYTES);
    if (bound.fits(execute) && (args.isEmpty() || bound.fits(args))) {
      return null;
    }
    long name = Json.encode(execute).getBytes(StandardCharsets.UTF_8).length;
    long total = name + args.toBuffer().length();
    if (total <= MAX_BYTES) {
      return null;
    }
    String where = name > MAX_BYTES / 2 ? "execute" : largest(args);
    String shown = execute.length() > 64 ? execute.substring(0, 64) + "..." : execute;
    return new VmException(ErrorCode.TOO_LARGE, "QMP command '" + shown + "' not sent: its name and arguments are "
        + total + " bytes as JSON (" + where + " is the largest part), more than the pass-through's limit of "
        + MAX_BYTES + " bytes: QEMU reads a command at about 4 µs of CPU per byte and answers nothing else of the VM"
        + " meanwhile", new JsonObject().put("path", where).put("bytes", total).put("limit", MAX_BYTES));
  }

  /** Takes the most {@code v} can be as JSON from the room left; false when that may not fit (or is not known). */
  private boolean fits(Object v) {
    if (v instanceof JsonObject o) {
      v = o.getMap();
    } else if (v instanceof JsonArray a) {
      v = a.getList();
    }
    if (v instanceof Map<?, ?> map) {
      room -= 2;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        room -= 2; // ':' and ','
        if (!fits(String.valueOf(e.getKey())) || !fits(e.getValue())) {
          return false;
        }
      }
    } else if (v instanceof List<?> list) {
      room -= 2;
      for (Object item : list) {
        room -= 1;
        if (!fits(item)) {
          return false;
        }
      }
    } else if (v instanceof CharSequence s) {
      room -= 6L * s.length() + 2; // \\uXXXX at most per char; a surrogate pair is 4 bytes for 2
    } else if (v == null || v instanceof Boolean || v instanceof Integer || v instanceof Long || v instanceof Short
        || v instanceof Byte || v instanceof Double || v instanceof Float) {
      room -= 32;
    } else {
      return false; // a BigDecimal, a Buffer, an Instant...: encode it to know
    }
    return room >= 0;
  }

  /** The path of the biggest member of {@code args}, for the error. */
  private static String largest(JsonObject args) {
    String path = "arguments";
    long most = -1;
    for (Map.Entry<String, Object> e : args) {
      long n = Json.encode(e.getValue()).getBytes(StandardCharsets.UTF_8).length;
      if (n > most) {
        most = n;
        path = "arguments." + e.getKey();
      }
    }
    return path;
  }
}
