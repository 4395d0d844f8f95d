package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpecs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The published VM spec schema ({@code docs/schema/vm-spec.json}, read from the class path where the daemon serves
 * it from) beside config-model: both verdicts on one spec, with config-model-style paths.
 */
final class SpecSchema {

  static final String RESOURCE = "io/vmsup/supervisor/http/schema/vm-spec.json";
  static final String SOURCE = "docs/schema/vm-spec.json";

  final JsonObject json;
  private final Validator flag;
  private final Validator basic;

  private SpecSchema(JsonObject json) {
    this.json = json;
    JsonSchemaOptions options = new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://vmsup.invalid/");
    // the flag format stops at the first error: the verdict alone, cheaply; the basic one only to explain a refusal
    this.flag = Validator.create(JsonSchema.of(json), new JsonSchemaOptions(options)
        .setOutputFormat(OutputFormat.Flag));
    this.basic = Validator.create(JsonSchema.of(json), options.setOutputFormat(OutputFormat.Basic));
  }

  static SpecSchema load() {
    try (InputStream in = SpecSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new AssertionError(RESOURCE + " is not on the class path (supervisor/pom.xml copies " + SOURCE + ")");
      }
      return new SpecSchema(new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The schema's errors, each as {@code path: message} with config-model's path style; empty when valid. */
  List<String> errors(JsonObject spec) {
    List<String> errors = new ArrayList<>();
    if (Boolean.TRUE.equals(flag.validate(spec).getValid())) {
      return errors;
    }
    OutputUnit out = basic.validate(spec);
    List<OutputUnit> units = out.getErrors() == null || out.getErrors().isEmpty() ? List.of(out) : out.getErrors();
    for (OutputUnit u : units) {
      errors.add(path(u.getInstanceLocation()) + ": " + u.getError() + " (" + u.getKeywordLocation() + ")");
    }
    return errors;
  }

  /** config-model's violations of the same spec; empty when it is valid. */
  static List<Violation> modelViolations(JsonObject spec) {
    SpecResult result = VmSpecs.parse(spec.encode());
    return result instanceof SpecResult.Invalid invalid ? invalid.violations() : List.of();
  }

  /** A JSON pointer ({@code /devices/0/file}) as config-model writes paths ({@code devices[0].file}). */
  static String path(String pointer) {
    if (pointer == null || pointer.isEmpty() || pointer.equals("#")) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    for (String token : pointer.replaceFirst("^#?/", "").split("/", -1)) {
      String name = token.replace("~1", "/").replace("~0", "~");
      if (name.matches("[0-9]+")) {
        out.append('[').append(name).append(']');
      } else {
        out.append(out.length() == 0 ? "" : ".").append(name);
      }
    }
    return out.toString();
  }
}
