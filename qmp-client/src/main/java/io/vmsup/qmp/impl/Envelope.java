package io.vmsup.qmp.impl;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpCommand;
import java.nio.charset.StandardCharsets;

/**
 * The wire envelope of a command, {@code {"execute":NAME,"arguments":ARGS,"id":ID}} ({@code exec-oob} for out-of-band
 * commands), written byte by byte into one buffer: no JSON tree and no generator for the envelope itself; only the
 * arguments, when there are any, go through Vert.x's JSON encoder. Nothing is written that QEMU does not need: QEMU 7.2's
 * monitor reads its input one byte per {@code recvmsg} (its {@code monitor_can_read} answers 1), about seven system
 * calls per byte in its monitor thread, so every byte sent costs QEMU CPU and the round trip latency (docs/benchmarks.md,
 * "The QMP leg inside the daemon").
 */
final class Envelope {

  private static final byte[] EXECUTE = ascii("{\"execute\":");
  private static final byte[] EXEC_OOB = ascii("{\"exec-oob\":");
  private static final byte[] ARGUMENTS = ascii(",\"arguments\":");
  private static final byte[] ID = ascii(",\"id\":");

  private Envelope() {
  }

  /** The envelope in a direct buffer of its own. */
  static ByteBuf encode(ByteBufAllocator alloc, QmpCommand<?> command, long id) {
    ByteBuf out = alloc.directBuffer(48 + 2 * command.name().length());
    try {
      encode(out, command, id);
    } catch (RuntimeException e) {
      out.release();
      throw e;
    }
    return out;
  }

  /** Appends the envelope to {@code out}. */
  static void encode(ByteBuf out, QmpCommand<?> command, long id) {
    // qmp-spec: "arguments" is optional; QEMU's dispatcher (qmp_dispatch) takes a missing one for an empty object
    JsonObject arguments = command.arguments();
    byte[] args = arguments == null || arguments.isEmpty() ? null : arguments.toBuffer().getBytes();
    String name = command.name();
    out.ensureWritable(48 + 2 * name.length() + (args == null ? 0 : args.length));
    out.writeBytes(command.oob() ? EXEC_OOB : EXECUTE);
    writeString(out, name);
    if (args != null) {
      out.writeBytes(ARGUMENTS).writeBytes(args);
    }
    out.writeBytes(ID);
    writeDecimal(out, id);
    out.writeByte('}');
  }

  /** A JSON string: printable ASCII as is; anything needing an escape or UTF-8 goes through Vert.x's encoder. */
  static void writeString(ByteBuf out, String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
        out.writeBytes(Json.encode(s).getBytes(StandardCharsets.UTF_8));
        return;
      }
    }
    out.writeByte('"');
    out.writeCharSequence(s, StandardCharsets.US_ASCII);
    out.writeByte('"');
  }

  /** {@code value} in decimal ASCII; ids are positive. */
  static void writeDecimal(ByteBuf out, long value) {
    if (value < 0) {
      out.writeCharSequence(Long.toString(value), StandardCharsets.US_ASCII);
      return;
    }
    int digits = 1;
    for (long v = value / 10; v != 0; v /= 10) {
      digits++;
    }
    out.ensureWritable(digits);
    int at = out.writerIndex();
    long v = value;
    for (int i = digits - 1; i >= 0; i--) {
      out.setByte(at + i, '0' + (int) (v % 10));
      v /= 10;
    }
    out.writerIndex(at + digits);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
