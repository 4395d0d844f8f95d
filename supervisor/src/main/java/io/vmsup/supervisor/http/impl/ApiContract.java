package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI document ({@code docs/openapi.json}, with the VM spec schema {@code docs/schema/vm-spec.json} it refers
 * to) as the contract the edge enforces: its operations by method and path, and a schema repository that validates
 * against any schema of either file. Built once per JVM, off the event loop; immutable afterwards but for a memo of
 * validators.
 */
final class ApiContract {

  static final String DOCUMENT = "io/vmsup/supervisor/http/openapi.json";
  static final String SPEC_SCHEMA = "io/vmsup/supervisor/http/schema/vm-spec.json";
  private static final String BASE = "app:///";
  private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

  private final JsonObject document;
  private final JsonObject annotated;
  private final SchemaRepository schemas;
  private final List<ContractOperation> operations;
  private final Map<String, Validator> validators = new ConcurrentHashMap<>();
  /** Read-only once built: the operations' schemas that compile to a direct check, by identity. */
  private final Map<JsonObject, FastSchema> fast;

  private ApiContract(JsonObject document, JsonObject specSchema) {
    this.document = document.copy();
    // the repository annotates what it dereferences: it gets copies, the served document stays as written
    this.annotated = document.copy();
    this.schemas = SchemaRepository.create(new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri(BASE)
        .setOutputFormat(OutputFormat.Basic));
    schemas.dereference(BASE + "openapi.json", JsonSchema.of(annotated));
    schemas.dereference(BASE + "schema/vm-spec.json", JsonSchema.of(specSchema.copy()));
    this.operations = operations(annotated);
    Map<JsonObject, FastSchema> compiled = new IdentityHashMap<>();
    for (ContractOperation o : operations) {
      o.params().forEach(p -> compile(compiled, p.schema()));
      o.body().values().forEach(b -> compile(compiled, b));
    }
    this.fast = compiled;
  }

  private void compile(Map<JsonObject, FastSchema> into, JsonObject schema) {
    FastSchema f = FastSchema.compile(annotated, schema);
    if (f != null) {
      into.put(schema, f);
    }
  }

  /**
   * True when {@code value} is valid against {@code schema} (a parameter's or a body's schema of an operation) by the
   * schema's compiled check ({@link FastSchema}); false means ask {@link #validator}, which also explains a refusal.
   */
  boolean accepts(JsonObject schema, Object value) {
    FastSchema f = fast.get(schema);
    return f != null && f.accepts(value);
  }

  /** The contract, built on a worker the first time. */
  static Future<ApiContract> load(Vertx vertx) {
    return vertx.executeBlocking(() -> Holder.CONTRACT, false);
  }

  /** The contract of this JVM, built by the calling thread if need be: reads the class path (tests only). */
  static ApiContract get() {
    return Holder.CONTRACT;
  }

  /** The document as the schema repository holds it: each schema knows the absolute URIs of its references. */
  JsonObject annotated() {
    return annotated;
  }

  /** The document as written (callers copy before changing it). */
  JsonObject document() {
    return document;
  }

  SchemaRepository schemas() {
    return schemas;
  }

  /**
   * The validator of one schema of the document under a key naming its place (operation, parameter or body), made
   * once: making one copies the repository's whole lookup table, which was most of the edge's cost per request when
   * made each time; a validator keeps no state between calls (each call has its own), so threads share it.
   */
  Validator validator(String key, JsonObject schema) {
    return validators.computeIfAbsent(key, k -> schemas.validator(JsonSchema.of(schema)));
  }

  /** The operation for a request, the most literal path template first ({@code /v1/vms/x} before a variable). */
  Optional<ContractOperation> find(HttpMethod method, String path) {
    String m = method.name().toLowerCase(Locale.ROOT);
    for (ContractOperation o : operations) {
      if (o.method().equals(m) && o.path().matches(path)) {
        return Optional.of(o);
      }
    }
    return Optional.empty();
  }

  /** The methods the document names on a path, upper case ({@code Allow}); empty when it does not name the path. */
  Set<String> methodsAt(String path) {
    Set<String> out = new TreeSet<>();
    for (ContractOperation o : operations) {
      if (o.path().matches(path)) {
        out.add(o.method().toUpperCase(Locale.ROOT));
      }
    }
    return out;
  }

  List<ContractOperation> operations() {
    return operations;
  }

  private List<ContractOperation> operations(JsonObject doc) {
    List<ContractOperation> out = new ArrayList<>();
    JsonObject paths = doc.getJsonObject("paths");
    for (String template : paths.fieldNames()) {
      if (!template.startsWith("/")) {
        continue; // the schema repository's annotations
      }
      JsonObject item = paths.getJsonObject(template);
      for (String method : METHODS) {
        if (item.getValue(method) instanceof JsonObject op) {
          out.add(ContractOperation.of(doc, template, method, item, op));
        }
      }
    }
    out.sort(Comparator.comparingInt((ContractOperation o) -> o.path().variables())
        .thenComparing(o -> o.path().template()));
    return List.copyOf(out);
  }

  private static JsonObject read(String resource) {
    try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("the API contract " + resource + " is not on the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // class initialisation is the JVM's own once-only lock: no synchronized of ours
  private static final class Holder {
    static final ApiContract CONTRACT = new ApiContract(read(DOCUMENT), read(SPEC_SCHEMA));
  }
}
