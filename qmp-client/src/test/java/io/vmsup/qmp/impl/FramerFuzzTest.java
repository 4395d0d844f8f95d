package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpProtocolException;
import java.util.ArrayList;
import java.util.List;
import io.vmsup.qmp.testing.Fuzz;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property-based fuzzing of the QMP framer and decoder, bounded by tries: whatever bytes QEMU (or something in its
 * place) sends, in whatever chunks, nothing but a {@link QmpProtocolException} comes out, and well-formed messages
 * come out whole and in order however the stream is cut.
 */
class FramerFuzzTest {

  private static final String TEXT = " !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~"
      + "\"\\{}[]\né\u2028";
  private static final String JSONISH = "{}[]\":,0123456789.-eE tfnrul\\abcQMPidvntreo";

  private static JsonObject message(Random random) {
    String t = Fuzz.string(random, TEXT, 20);
    return switch (random.nextInt(3)) {
      case 0 -> new JsonObject().put("return", new JsonObject().put("status", t)).put("id", 1);
      case 1 -> new JsonObject().put("event", "X").put("data", new JsonObject().put("s", t)
          .put("a", new JsonArray().add(t).add(new JsonArray())));
      default -> new JsonObject().put("error", new JsonObject().put("class", "GenericError").put("desc", t));
    };
  }

  /** Messages sent back to back, and the offsets at which the stream is cut into chunks. */
  record CutStream(List<JsonObject> sent, List<Integer> cuts) {
  }

  @Test
  void wellFormedMessagesComeOutWholeHoweverTheStreamIsCut() {
    Fuzz.forAll(300, random -> {
      List<JsonObject> sent = new ArrayList<>();
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        sent.add(message(random));
      }
      return new CutStream(sent, Fuzz.list(random, 8, Random::nextInt));
    }, FramerFuzzTest::wellFormed);
  }

  private static void wellFormed(CutStream input) {
    List<JsonObject> sent = input.sent();
    StringBuilder stream = new StringBuilder();
    for (JsonObject m : sent) {
      stream.append(m.encode()).append("\r\n");
    }
    byte[] bytes = stream.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Buffer> frames = new ArrayList<>();
    List<QmpProtocolException> errors = new ArrayList<>();
    JsonFramer framer = new JsonFramer(1 << 20, frames::add, errors::add);
    int from = 0;
    for (int cut : input.cuts().stream().map(c -> Math.floorMod(c, bytes.length + 1)).sorted().toList()) {
      framer.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, Math.max(from, cut))));
      from = Math.max(from, cut);
    }
    framer.handle(Buffer.buffer(java.util.Arrays.copyOfRange(bytes, from, bytes.length)));
    assertThat(errors).isEmpty();
    assertThat(frames).hasSize(sent.size());
    for (int i = 0; i < sent.size(); i++) {
      assertThat(new JsonObject(frames.get(i))).isEqualTo(sent.get(i));
      assertThat(MessageDecoder.decode(frames.get(i))).isNotNull();
    }
  }

  @Test
  void arbitraryBytesInArbitraryChunksFailOnlyAsProtocolErrors() {
    Fuzz.forAll(500, random -> Fuzz.list(random, 6, r -> {
      byte[] b = new byte[r.nextInt(65)];
      r.nextBytes(b);
      return b;
    }), Fuzz::shrinkList, FramerFuzzTest::anyBytes);
  }

  private static void anyBytes(List<byte[]> chunks) {
    List<Buffer> frames = new ArrayList<>();
    List<QmpProtocolException> errors = new ArrayList<>();
    JsonFramer framer = new JsonFramer(256, frames::add, errors::add);
    int framesAtDeath = -1;
    for (byte[] chunk : chunks) {
      framer.handle(Buffer.buffer(chunk));
      if (framer.isDead() && framesAtDeath < 0) {
        framesAtDeath = frames.size();
      }
    }
    assertThat(errors).hasSizeLessThanOrEqualTo(1);
    assertThat(framer.isDead()).isEqualTo(!errors.isEmpty());
    if (framesAtDeath >= 0) {
      assertThat(frames).hasSize(framesAtDeath);
    }
    for (Buffer frame : frames) {
      assertThat(frame.length()).isLessThanOrEqualTo(256);
      decodeOrProtocolError(frame);
    }
  }

  @Test
  void theDecoderRefusesAnythingButQmpShapesWithAProtocolError() {
    Fuzz.forAll(500, random -> {
      String text = Fuzz.string(random, JSONISH, 60);
      // now and then a repeated piece (keys and values that come twice)
      return random.nextInt(20) == 0 && !text.isEmpty() ? text + text.substring(random.nextInt(text.length())) : text;
    }, Fuzz::shrinkString, text -> decodeOrProtocolError(Buffer.buffer(text)));
  }

  private static void decodeOrProtocolError(Buffer frame) {
    try {
      assertThat(MessageDecoder.decode(frame)).isNotNull();
    } catch (QmpProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
