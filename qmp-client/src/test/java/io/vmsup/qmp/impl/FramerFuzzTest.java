package io.vmsup.qmp.impl;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.QmpProtocolException;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Property-based fuzzing of the QMP framer and decoder, bounded by tries: whatever bytes QEMU (or something in its
 * place) sends, in whatever chunks, nothing but a {@link QmpProtocolException} comes out, and well-formed messages
 * come out whole and in order however the stream is cut.
 */
class FramerFuzzTest {

  @Provide
  Arbitrary<JsonObject> messages() {
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('"', '\\', '{', '}', '[', ']',
        '\n', 'é', '\u2028').ofMaxLength(20);
    return Arbitraries.oneOf(
        text.map(t -> new JsonObject().put("return", new JsonObject().put("status", t)).put("id", 1)),
        text.map(t -> new JsonObject().put("event", "X").put("data", new JsonObject().put("s", t)
            .put("a", new JsonArray().add(t).add(new JsonArray())))),
        text.map(t -> new JsonObject().put("error", new JsonObject().put("class", "GenericError").put("desc", t))));
  }

  @Property(tries = 300)
  void wellFormedMessagesComeOutWholeHoweverTheStreamIsCut(
      @ForAll @Size(min = 1, max = 6) List<@From("messages") JsonObject> sent, @ForAll @Size(max = 8) List<Integer> cuts) {
    StringBuilder stream = new StringBuilder();
    for (JsonObject m : sent) {
      stream.append(m.encode()).append("\r\n");
    }
    byte[] bytes = stream.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    List<Buffer> frames = new ArrayList<>();
    List<QmpProtocolException> errors = new ArrayList<>();
    JsonFramer framer = new JsonFramer(1 << 20, frames::add, errors::add);
    int from = 0;
    for (int cut : cuts.stream().map(c -> Math.floorMod(c, bytes.length + 1)).sorted().toList()) {
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

  @Property(tries = 500)
  void arbitraryBytesInArbitraryChunksFailOnlyAsProtocolErrors(
      @ForAll @Size(max = 6) List<@Size(max = 64) List<Byte>> chunks) {
    List<Buffer> frames = new ArrayList<>();
    List<QmpProtocolException> errors = new ArrayList<>();
    JsonFramer framer = new JsonFramer(256, frames::add, errors::add);
    int framesAtDeath = -1;
    for (List<Byte> chunk : chunks) {
      byte[] b = new byte[chunk.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = chunk.get(i);
      }
      framer.handle(Buffer.buffer(b));
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

  @Property(tries = 500)
  void theDecoderRefusesAnythingButQmpShapesWithAProtocolError(@ForAll("jsonish") String text) {
    decodeOrProtocolError(Buffer.buffer(text));
  }

  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.strings().withChars("{}[]\":,0123456789.-eE tfnrul\\abcQMPidvntreo").ofMaxLength(60)
        .injectDuplicates(0.05);
  }

  private static void decodeOrProtocolError(Buffer frame) {
    try {
      assertThat(MessageDecoder.decode(frame)).isNotNull();
    } catch (QmpProtocolException expected) {
      assertThat(expected.getMessage()).isNotBlank();
    }
  }
}
