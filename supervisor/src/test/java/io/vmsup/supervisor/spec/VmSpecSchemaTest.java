package io.vmsup.supervisor.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema of the VM spec ({@code docs/schema/vm-spec.json}) against config-model, the one
 * validator that decides: every example and golden spec passes both; every structurally broken spec (unknown field,
 * wrong JSON type, missing required field) is refused by both; the schema never refuses what config-model takes;
 * and each closed object of the schema lists exactly the fields (and enum values) config-model takes there. Rules
 * the schema cannot express (references, unique ids, cross-field rules) stay config-model's alone.
 *
 * <p>A new spec field fails here until it is in the schema: the message names the place and the field.
 */
class VmSpecSchemaTest {

  private static final String FIX = " (fix " + SpecSchema.SOURCE + ")";
  private static final Pattern ALLOWED = Pattern.compile("unknown field; allowed: (.*)");
  private static final Pattern ONE_OF = Pattern.compile("must be one of (.*), not .*");
  /** config-model messages that say a spec is malformed, not merely refused by a rule of meaning. */
  private static final List<String> STRUCTURAL = List.of("unknown field", "is required", "must be a string, not",
      "must be an object", "must be an array, not", "must be true or false", "must be an integer from",
      "unknown kind", "must be one of", "must be a size", "must be a duration");

  private static SpecSchema schema;
  private static Map<String, JsonObject> valid;

  @BeforeAll
  static void load() throws IOException {
    schema = SpecSchema.load();
    valid = new LinkedHashMap<>();
    for (Path dir : List.of(Path.of("..", "examples"), Path.of("..", "config-model", "src", "test", "resources",
        "argv"))) {
      try (Stream<Path> files = Files.list(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          valid.put(f.toString(), new JsonObject(Files.readString(f)));
        }
      }
    }
  }

  @Test
  void everyExampleAndGoldenSpecPassesBoth() {
    assertThat(valid).hasSizeGreaterThan(40);
    List<String> wrong = new ArrayList<>();
    valid.forEach((file, spec) -> {
      List<Violation> model = SpecSchema.modelViolations(spec);
      List<String> errors = schema.errors(spec);
      if (!model.isEmpty()) {
        wrong.add(file + ": config-model refuses it: " + model);
      } else if (!errors.isEmpty()) {
        wrong.add(file + ": config-model takes it but the schema refuses it: " + errors + FIX);
      }
    });
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void everyObjectOfTheSchemaIsClosedOrAMap() {
    SchemaWalk walk = SchemaWalk.of(schema.json);
    assertThat(walk.problems()).as(String.join("\n", walk.problems())).isEmpty();
    assertThat(walk.closed()).hasSizeGreaterThan(30);
  }

  @Test
  void eachClosedObjectListsExactlyTheFieldsConfigModelTakes() {
    List<String> wrong = new ArrayList<>();
    for (SchemaWalk.Closed c : SchemaWalk.of(schema.json).closed()) {
      String probe = c.at("zzUnknownProbe");
      Set<String> model = SpecSchema.modelViolations(c.specWith(new JsonObject().put("zzUnknownProbe", 1))).stream()
          .filter(v -> v.path().equals(probe)).map(v -> ALLOWED.matcher(v.message()))
          .filter(Matcher::matches).findFirst().map(m -> (Set<String>) new TreeSet<>(Arrays.asList(m.group(1)
              .split(", ")))).orElse(null);
      if (model == null) {
        wrong.add(c.where() + ": config-model does not refuse the unknown field " + probe + ", but the schema closes"
            + " this object (" + c.pointer() + ")");
        continue;
      }
      Set<String> described = new TreeSet<>(c.schema().getJsonObject("properties").fieldNames());
      for (String f : model) {
        if (!described.contains(f)) {
          wrong.add(c.where() + ": config-model takes the field \"" + f + "\" but the schema has no property \"" + f
              + "\" at " + c.pointer() + "/properties: add it there, and to docs/vm-spec.md" + FIX);
        }
      }
      for (String f : described) {
        if (!model.contains(f)) {
          wrong.add(c.where() + ": the schema has \"" + f + "\" (" + c.pointer() + "/properties/" + f
              + ") but config-model refuses it there" + FIX);
        }
      }
    }
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void eachEnumListsExactlyTheValuesConfigModelTakes() {
    List<String> wrong = new ArrayList<>();
    for (SchemaWalk.Closed c : SchemaWalk.of(schema.json).closed()) {
      JsonObject properties = c.schema().getJsonObject("properties");
      for (String f : properties.fieldNames()) {
        Object values = properties.getJsonObject(f).getValue("enum");
        if (!(values instanceof io.vertx.core.json.JsonArray list) || !list.stream().allMatch(String.class::isInstance)) {
          continue;
        }
        Set<String> described = list.stream().map(String.class::cast).collect(Collectors.toCollection(TreeSet::new));
        Set<String> model = SpecSchema.modelViolations(c.specWith(new JsonObject().put(f, "zz-not-a-value")))
            .stream().filter(v -> v.path().equals(c.at(f))).map(v -> ONE_OF.matcher(v.message()))
            .filter(Matcher::matches).findFirst().map(m -> (Set<String>) Arrays.stream(m.group(1).split(", "))
                .map(s -> s.replace("\"", "")).collect(Collectors.toCollection(TreeSet::new))).orElse(null);
        if (model == null) {
          wrong.add(c.where() + "." + f + ": config-model did not answer \"must be one of ...\" for an unknown value");
        } else if (!model.equals(described)) {
          wrong.add(c.where() + "." + f + ": config-model takes " + model + ", the schema lists " + described + " at "
              + c.pointer() + "/properties/" + f + FIX);
        }
      }
    }
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void structurallyBrokenSpecsAreRefusedByBothAndTheSchemaIsNeverStricter() {
    SpecMutants mutants = new SpecMutants();
    valid.values().forEach(mutants::add);
    assertThat(mutants.all()).hasSizeGreaterThan(300);
    List<String> wrong = new ArrayList<>();
    for (SpecMutants.Mutant m : mutants.all()) {
      check(m.what() + " at " + m.path(), m.path(), m.spec()).ifPresent(wrong::add);
    }
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  @Test
  void handWrittenBrokenSpecsAreRefusedByBoth() {
    Map<String, String> broken = new LinkedHashMap<>();
    broken.put("colour", "{\"name\": \"a\", \"colour\": \"blue\"}");
    broken.put("name", "{\"machine\": {\"type\": \"q35\"}}");
    broken.put("name", "{\"name\": 7}");
    broken.put("devices[0].kind", "{\"name\": \"a\", \"devices\": [{\"kind\": \"toaster\", \"id\": \"t0\"}]}");
    broken.put("devices[0].id", "{\"name\": \"a\", \"devices\": [{\"kind\": \"iothread\"}]}");
    broken.put("devices[0].bogus", "{\"name\": \"a\", \"devices\": [{\"kind\": \"iothread\", \"id\": \"i\","
        + " \"bogus\": 1}]}");
    broken.put("machine.accel", "{\"name\": \"a\", \"machine\": {\"accel\": \"hvf\"}}");
    broken.put("devices[0].cid", "{\"name\": \"a\", \"devices\": [{\"kind\": \"vsock\", \"id\": \"v\", \"cid\": 2}]}");
    broken.put("memory.size", "{\"name\": \"a\", \"memory\": {\"size\": \"12Q\"}}");
    broken.put("smp.cpus", "{\"name\": \"a\", \"smp\": {\"cpus\": 1.5}}");
    broken.put("supervision.stopGrace", "{\"name\": \"a\", \"supervision\": {\"stopGrace\": 30}}");
    broken.put("devices[0].fds[0]", "{\"name\": \"a\", \"devices\": [{\"kind\": \"nic\", \"id\": \"n\", \"backend\":"
        + " \"tap\", \"fds\": [\"3\"]}]}");
    broken.put("kernel.path", "{\"name\": \"a\", \"kernel\": {\"cmdline\": \"quiet\"}}");
    broken.put("devices", "{\"name\": \"a\", \"devices\": {\"kind\": \"iothread\", \"id\": \"i\"}}");
    List<String> wrong = new ArrayList<>();
    broken.forEach((path, json) -> check(json, path, new JsonObject(json)).ifPresent(wrong::add));
    for (String json : broken.values()) {
      assertThat(SpecSchema.modelViolations(new JsonObject(json))).as(json).isNotEmpty();
      assertThat(schema.errors(new JsonObject(json))).as(json).isNotEmpty();
    }
    assertThat(wrong).as(String.join("\n", wrong)).isEmpty();
  }

  // the two rules: config-model's structural refusal ⇒ the schema refuses; the schema refuses ⇒ config-model does
  private java.util.Optional<String> check(String what, String path, JsonObject spec) {
    List<Violation> model = SpecSchema.modelViolations(spec);
    List<String> errors = schema.errors(spec);
    boolean structural = model.stream().anyMatch(v -> (v.path().equals(path) || v.path().startsWith(path + ".")
        || v.path().startsWith(path + "[")) && STRUCTURAL.stream().anyMatch(v.message()::startsWith));
    if (structural && errors.isEmpty()) {
      return java.util.Optional.of(what + ": config-model refuses it (" + model + ") but the schema accepts "
          + spec.encode() + FIX);
    }
    if (model.isEmpty() && !errors.isEmpty()) {
      return java.util.Optional.of(what + ": config-model takes " + spec.encode() + " but the schema refuses it: "
          + errors + FIX);
    }
    return java.util.Optional.empty();
  }
}
