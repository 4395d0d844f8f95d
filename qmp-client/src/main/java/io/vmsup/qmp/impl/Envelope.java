package io.vmsup.qmp.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The wire envelope of a command, {@code {"execute":NAME,"arguments":ARGS,"id":ID}} ({@code exec-oob} for out-of-band
 * commands), written byte by byte into a reused array (one per connection, on its context): no JSON tree and no
 * generator for the envelope itself, and no buffer bounds checked per byte; only the arguments, when there are any, go
 * through Vert.x's JSON encoder. Nothing is written that QEMU does not need: QEMU 7.2's monitor reads its input one byte
 * per {@code recvmsg} (its {@code monitor_can_read} answers 1), about seven system calls per byte in its monitor thread,
 * so every byte sent costs QEMU CPU and the round trip latency (docs/benchmarks.md, "The QMP leg inside the daemon").
 */
final class Envelope {

  private static final byte[] EXECUTE = ascii("{\"execute\":");
  private static final byte[] EXEC_OOB = ascii("{\"exec-oob\":");
  private static final byte[] ARGUMENTS = ascii(",\"arguments\":");
  private static final byte[] ID = ascii(",\"id\":");
  // the array is kept between commands at this size at most (a command with large arguments grows it once)
  private static final int KEPT = 64 << 10;

  private byte[] buf = new byte[128];
  private int length;

  /** The envelope in a direct buffer of its own. */
  static ByteBuf encode(ByteBufAllocator alloc, QmpCommand<?> command, long id) {
    Envelope e = new Envelope();
    e.encode(command, id);
    return e.writeTo(alloc.directBuffer(e.length));
  }

  /** Encodes {@code command} with {@code id}, replacing what this envelope held; nothing is kept if it throws. */
  void encode(QmpCommand<?> command, long id) {
    // qmp-spec: "arguments" is optional; QEMU's dispatcher (qmp_dispatch) takes a missing one for an empty object
    JsonObject arguments = command.arguments();
    byte[] args = arguments == null || arguments.isEmpty() ? null : arguments.toBuffer().getBytes();
    if (buf.length > KEPT) {
      buf = new byte[128];
    }
    length = 0;
    put(command.oob() ? EXEC_OOB : EXECUTE);
    putString(command.name());
    if (args != null) {
      put(ARGUMENTS);
      put(args);
    }
    put(ID);
    putDecimal(id);
    ensure(1);
    buf[length++] = '}';
  }

  /** Appends what {@link #encode} made to {@code out}; returns {@code out}. */
  ByteBuf writeTo(ByteBuf out) {
    return out.writeBytes(buf, 0, length);
  }

  /** A JSON string: printable ASCII as is; anything needing an escape or UTF-8 goes through Vert.x's encoder. */
  private void putString(String s) {
    int n = s.length();
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        put(Json.encode(s).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    ensure(n + 2);
    buf[length++] = '"';
    for (int i = 0; i < n; i++) {
      buf[length++] = (byte) s.charAt(i);
    }
    buf[length++] = '"';
  }

  /** {@code value} in decimal ASCII; ids are positive. */
  private void putDecimal(long value) {
    if (value < 0) {
      put(ascii(Long.toString(value)));
      return;
    }
    int digits = 1;
    for (long v = value / 10; v != 0; v /= 10) {
      digits++;
    }
    ensure(digits);
    long v = value;
    for (int i = length + digits - 1; i >= length; i--) {
      buf[i] = (byte) ('0' + (int) (v % 10));
      v /= 10;
    }
    length += digits;
  }

  private void put(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buf, length, bytes.length);
    length += bytes.length;
  }

  private void ensure(int more) {
    if (length + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
