package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of every golden case: parsing never throws, an invalid result always has violations, and a valid
 * result always renders and passes host checks without exceptions.
 */
class ParseNeverThrowsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] TEXT = {"", "a,b", "x=y", "/abs,path", "relative", "日本", "\u0007", "-1", "on",
      "pcie.0", "vmsup-x", "512M", "2G", "12Q", "host", "none", "tap", "52:54:00:12:34:56", "0000:01:00.0", "a".repeat(80)};

  @Test
  void mutatedSpecsNeverThrowAndValidOnesAlwaysRender() throws Exception {
    Random random = new Random(20261125L);
    int valid = 0;
    int invalid = 0;
    HostFacts host = new HostFacts(false, false, false, false);
    for (String name : GoldenCases.names()) {
      JsonNode original = JSON.readTree(GoldenCases.json(GoldenCases.DIR, name));
      for (int round = 0; round < 150; round++) {
        JsonNode copy = original.deepCopy();
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
          mutate(copy, random);
        }
        SpecResult result = VmSpecs.parse(JSON.writeValueAsString(copy));
        if (result instanceof SpecResult.Valid v) {
          valid++;
          assertThat(QemuArgv.render(v.spec(), RenderContext.of(host))).isNotEmpty();
          HostChecks.check(v.spec(), host);
        } else {
          invalid++;
          assertThat(((SpecResult.Invalid) result).violations()).isNotEmpty();
        }
      }
    }
    assertThat(valid).as("some mutations stay valid").isGreaterThan(100);
    assertThat(invalid).as("most mutations are invalid").isGreaterThan(1000);
  }

  @Test
  void garbageTextNeverThrows() {
    Random random = new Random(7);
    String alphabet = "{}[]\":,0123456789abcnul tre-\\\n";
    for (int i = 0; i < 5000; i++) {
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(40);
      for (int k = 0; k < len; k++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      assertThat(VmSpecs.parse(b.toString())).isNotNull();
    }
  }

  /** Changes one random value somewhere in the tree: replace, remove, or add a field. */
  private static void mutate(JsonNode root, Random random) {
    List<JsonNode> containers = new ArrayList<>();
    collect(root, containers);
    JsonNode target = containers.get(random.nextInt(containers.size()));
    if (target instanceof ObjectNode o) {
      List<String> names = new ArrayList<>();
      o.fieldNames().forEachRemaining(names::add);
      int action = random.nextInt(4);
      if (names.isEmpty() || action == 0) {
        o.set(names.isEmpty() || random.nextBoolean() ? "extra" : names.get(0) + "x", value(random));
      } else if (action == 1) {
        o.remove(names.get(random.nextInt(names.size())));
      } else {
        o.set(names.get(random.nextInt(names.size())), value(random));
      }
    } else if (target instanceof ArrayNode a && a.size() > 0) {
      if (random.nextBoolean()) {
        a.remove(random.nextInt(a.size()));
      } else {
        a.add(a.get(random.nextInt(a.size())).deepCopy());
      }
    }
  }

  private static void collect(JsonNode node, List<JsonNode> out) {
    if (node.isContainerNode()) {
      out.add(node);
      Iterator<JsonNode> children = node.elements();
      children.forEachRemaining(c -> collect(c, out));
    }
  }

  private static JsonNode value(Random random) {
    return switch (random.nextInt(7)) {
      case 0 -> F.booleanNode(random.nextBoolean());
      case 1 -> F.numberNode(random.nextInt(10) - 2);
      case 2 -> F.numberNode(random.nextLong());
      case 3 -> F.numberNode(1.5);
      case 4 -> F.nullNode();
      case 5 -> F.objectNode().put("kind", "disk");
      default -> F.textNode(TEXT[random.nextInt(TEXT.length)]);
    };
  }
}
