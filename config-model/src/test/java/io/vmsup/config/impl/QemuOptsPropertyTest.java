package io.vmsup.config.impl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmsup.config.Size;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever goes into {@link QemuOpts} comes back out of QEMU's parsing rules unchanged. */
class QemuOptsPropertyTest {

  private static final String[] PIECES = {",", ",,", "=", "a", "Z", "0", " ", "-", ".", "/", "é", "日本", "\uD83D\uDE00",
      "\\", "\"", "'", ":", "x=y,z", ",=,", "ß"};
  private static final String KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_.";

  @Test
  void arbitraryValuesRoundTripThroughQemuParsing() {
    Random random = new Random(0x5eed_2026L);
    for (int round = 0; round < 20_000; round++) {
      boolean implied = random.nextBoolean();
      String impliedValue = implied ? key(random) : null;
      QemuOpts opts = implied ? QemuOpts.of(impliedValue) : QemuOpts.keyed();
      List<Map.Entry<String, String>> expected = new ArrayList<>();
      if (implied) {
        expected.add(Map.entry("@implied", impliedValue));
      }
      int count = random.nextInt(6) + (implied ? 0 : 1);
      for (int i = 0; i < count; i++) {
        String key = key(random);
        Object value = value(random);
        opts.add(key, value);
        expected.add(Map.entry(key, QemuOpts.text(value)));
      }
      String text = opts.toArg();
      assertThat(QemuOptsParser.parse(text, "@implied")).as("parsing %s", text)
          .containsExactlyElementsOf(expected);
    }
  }

  @Test
  void escapeDoublesEveryCommaAndNothingElse() {
    assertThat(QemuOpts.escape("a,b,,c=d")).isEqualTo("a,,b,,,,c=d");
    assertThat(QemuOpts.escape(",")).isEqualTo(",,");
    assertThat(QemuOpts.escape("日本=é")).isEqualTo("日本=é");
  }

  @Test
  void qmpMapKeepsTypesAndNestsDottedKeys() {
    QemuOpts opts = QemuOpts.keyed().add("driver", "qcow2").add("read-only", false)
        .add("file.driver", "file").add("file.filename", "/a,b").add("size", new Size(1 << 20)).add("n", 3)
        .add("cpus", "0-1").add("cpus", "4");
    assertThat(opts.toQmp("unused")).isEqualTo(Map.of("driver", "qcow2", "read-only", false,
        "file", Map.of("driver", "file", "filename", "/a,b"), "size", 1048576L, "n", 3,
        "cpus", List.of("0-1", "4")));
    assertThat(opts.toArg())
        .isEqualTo("driver=qcow2,read-only=off,file.driver=file,file.filename=/a,,b,size=1M,n=3,cpus=0-1,cpus=4");
  }

  @Test
  void impliedValueAndKeysThatQemuWouldMisreadAreRejected() {
    assertThatThrownBy(() -> QemuOpts.of("a=b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QemuOpts.of("a,b")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QemuOpts.keyed().add("k=v", "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> QemuOpts.keyed().add("k,v", "x")).isInstanceOf(IllegalArgumentException.class);
  }

  private static String key(Random random) {
    StringBuilder b = new StringBuilder();
    b.append((char) ('a' + random.nextInt(26)));
    int len = random.nextInt(12);
    for (int i = 0; i < len; i++) {
      b.append(KEY_CHARS.charAt(random.nextInt(KEY_CHARS.length())));
    }
    return b.toString();
  }

  private static Object value(Random random) {
    return switch (random.nextInt(5)) {
      case 0 -> random.nextBoolean();
      case 1 -> random.nextInt();
      case 2 -> new Size(random.nextLong() >>> 1);
      default -> {
        StringBuilder b = new StringBuilder();
        int len = random.nextInt(10);
        for (int i = 0; i < len; i++) {
          b.append(random.nextInt(4) == 0 ? (char) (0x20 + random.nextInt(0x2fff)) : PIECES[random.nextInt(
              PIECES.length)]);
        }
        yield b.toString();
      }
    };
  }
}
