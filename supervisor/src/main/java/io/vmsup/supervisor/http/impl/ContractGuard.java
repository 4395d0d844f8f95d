package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.StrictJson;
import io.vmsup.supervisor.http.Problem;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The edge of {@code /v1}: every request is checked against the OpenAPI document before any route sees it. A path
 * the document does not name is 404, a method it does not name on a known path 405 with {@code Allow}; unknown or
 * repeated query parameters, parameters and bodies that do not match their schemas are 400 with every violation and
 * its JSON path; a body of a media type the operation does not take is 415. The body is read once, by the one strict
 * parser ({@link StrictJson}), validated as parsed, and handed to the route ({@link JsonBodies#body}); a body the
 * schema refuses is explained by its domain's own validator where it has one ({@link BodyExplainers}). A value its
 * schema's compiled check accepts ({@link FastSchema}, only ever what the validator accepts) skips the validator.
 */
final class ContractGuard implements Handler<RoutingContext> {

  /** The routing-context key of the id of the operation a request passed the guard as ({@code "qmp"}...). */
  static final String OPERATION = "vmsup.operation";
  /** Bodies up to this many characters are validated on the event loop (when no domain explainer applies). */
  static final int INLINE_CHARS = 4096;

  private final Vertx vertx;
  private final Future<ApiContract> contract;

  ContractGuard(Vertx vertx, Future<ApiContract> contract) {
    this.vertx = vertx;
    this.contract = contract;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (contract.succeeded()) {
      // loaded (every request but the first few): checked here, not in a callback queued on the loader's context
      check(ctx, contract.result());
      return;
    }
    contract.onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal("the API contract could not be loaded: "
            + ar.cause().getMessage()));
      } else {
        check(ctx, ar.result());
      }
    });
  }

  private void check(RoutingContext ctx, ApiContract c) {
    String path = ctx.request().path();
    ContractOperation op = c.find(ctx.request().method(), path).orElse(null);
    if (op == null) {
      Set<String> allowed = c.methodsAt(path);
      if (allowed.isEmpty()) {
        Responses.problem(ctx, HttpProblems.noRoute(ctx.request().method().name(), path));
      } else {
        ctx.response().putHeader(HttpHeaders.ALLOW, String.join(", ", allowed));
        Responses.problem(ctx, HttpProblems.methodNotAllowed(ctx.request().method().name(), path));
      }
      return;
    }
    ctx.put(OPERATION, op.id());
    JsonArray violations = new JsonArray();
    queryAndHeaders(ctx, c, op, violations);
    if (!violations.isEmpty()) {
      Responses.problem(ctx, HttpProblems.invalid(violations));
      return;
    }
    String text = ctx.body() == null ? null : text(ctx);
    if (text == null || text.isBlank()) {
      if (op.bodyRequired()) {
        Responses.problem(ctx, HttpProblems.badBody("", op.body().containsKey("application/json")
            ? "a JSON object body is required" : "a body is required: " + String.join(" or ", op.body().keySet())));
      } else {
        ctx.next();
      }
      return;
    }
    body(ctx, c, op, text);
  }

  /**
   * The body as text, as {@code RequestBody.asString()} decodes it (the Content-Type's charset, else UTF-8) without
   * parsing a Content-Type that has no parameters, so no charset (issue 15: ~2 % of the edge's CPU per request).
   */
  private static String text(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    Buffer bytes = ctx.body().buffer();
    return bytes == null || type != null && type.indexOf(';') >= 0 ? ctx.body().asString() : bytes.toString();
  }

  private void queryAndHeaders(RoutingContext ctx, ApiContract c, ContractOperation op, JsonArray violations) {
    // no '?' at all: nothing to decode (the common case; a decoder per request was ~1 % of the edge's CPU)
    MultiMap query = ctx.request().query() == null ? MultiMap.caseInsensitiveMultiMap() : ctx.queryParams();
    if (!query.isEmpty()) {
      Set<String> declared = new TreeSet<>();
      op.params("query").forEach(p -> declared.add(p.name()));
      for (String name : new TreeSet<>(query.names())) {
        if (!declared.contains(name)) {
          violations.add(violation(name, declared.isEmpty() ? "unknown query parameter: this request takes none"
              : "unknown query parameter; allowed: " + String.join(", ", declared)));
        } else if (query.getAll(name).size() > 1) {
          violations.add(violation(name, "is given " + query.getAll(name).size() + " times; give it once"));
        }
      }
    }
    for (ContractOperation.Param p : op.params()) {
      String value = switch (p.in()) {
        case "query" -> query.getAll(p.name()).size() == 1 ? query.get(p.name()) : null;
        case "header" -> ctx.request().getHeader(p.name());
        case "path" -> op.path().variable(ctx.request().path(), p.name());
        default -> null;
      };
      if (value == null) {
        if (p.required() && !query.contains(p.name())) {
          violations.add(violation(p.name(), "is required"));
        }
        continue;
      }
      Object typed = typed(value, p.schema());
      if (c.accepts(p.schema(), typed)) {
        continue;
      }
      var result = c.validator(p.key(), p.schema()).validate(typed);
      if (!Boolean.TRUE.equals(result.getValid())) {
        violations.addAll(SchemaViolations.of(result, c.schemas(), p.name()));
      }
    }
  }

  private void body(RoutingContext ctx, ApiContract c, ContractOperation op, String text) {
    if (op.body().isEmpty()) {
      Responses.problem(ctx, HttpProblems.badBody("", "this request takes no body"));
      return;
    }
    String given = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String type = given == null ? "application/json" : given.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!op.body().containsKey(type)) {
      Responses.problem(ctx, HttpProblems.unsupportedMediaType(op.body().keySet()));
      return;
    }
    if (text.length() <= INLINE_CHARS && !BodyExplainers.has(op.id())) {
      // a small body without a domain explainer (a QMP command, an action's options): microseconds of work, done here
      // rather than paying two thread hops on the request's way
      Object validated;
      try {
        validated = validated(c, op, type, text);
      } catch (RuntimeException e) {
        validated = ProblemMapper.internal(String.valueOf(e.getMessage()));
      }
      passed(ctx, validated);
      return;
    }
    // parsing and validating up to a megabyte is worker work
    vertx.executeBlocking(() -> validated(c, op, type, text), false).onComplete(ar -> {
      if (ar.failed()) {
        Responses.problem(ctx, ProblemMapper.internal(String.valueOf(ar.cause().getMessage())));
      } else {
        passed(ctx, ar.result());
      }
    });
  }

  private static void passed(RoutingContext ctx, Object validated) {
    if (validated instanceof Problem problem) {
      Responses.problem(ctx, problem);
    } else {
      ctx.put(JsonBodies.BODY, validated);
      ctx.next();
    }
  }

  // the parsed body (JsonObject or String), or the Problem that refuses it; the route gets the value as written, the
  // schema sees whole numbers as integers (WholeNumbers)
  private static Object validated(ApiContract c, ContractOperation op, String type, String text) {
    Object value;
    Object checked;
    if (type.equals("application/json")) {
      try {
        Object parsed = StrictJson.parse(text);
        value = json(parsed);
        checked = json(WholeNumbers.normalise(parsed));
      } catch (JsonSyntaxException e) {
        return HttpProblems.badBody("", e.getMessage());
      }
    } else {
      value = text;
      checked = text;
    }
    if (c.accepts(op.body().get(type), checked)) {
      return value;
    }
    var result = c.validator(op.id() + " body " + type, op.body().get(type)).validate(checked);
    if (Boolean.TRUE.equals(result.getValid())) {
      return value;
    }
    JsonArray explained = BodyExplainers.explain(op.id(), text, value);
    if (!explained.isEmpty()) {
      return HttpProblems.invalid(explained);
    }
    return HttpProblems.invalid(SchemaViolations.of(result, c.schemas(), ""));
  }

  private static Object json(Object parsed) {
    return parsed instanceof java.util.Map<?, ?> map ? new JsonObject(cast(map))
        : parsed instanceof List<?> list ? new JsonArray(list) : parsed;
  }

  // a parameter's text as the JSON value its schema's type asks for; left as text when it is not one
  private static Object typed(String value, JsonObject schema) {
    Object type = schema.getValue("type");
    if ("integer".equals(type) && value.matches("-?[0-9]{1,400}")) {
      return new BigInteger(value);
    }
    if ("number".equals(type) && value.matches("-?[0-9]{1,400}(\\.[0-9]{1,400})?")) {
      return new BigDecimal(value);
    }
    if ("boolean".equals(type) && (value.equals("true") || value.equals("false"))) {
      return Boolean.valueOf(value);
    }
    return value;
  }

  @SuppressWarnings("unchecked")
  private static java.util.Map<String, Object> cast(java.util.Map<?, ?> map) {
    return (java.util.Map<String, Object>) map;
  }

  private static JsonObject violation(String path, String message) {
    return new JsonObject().put("path", path).put("message", message);
  }
}
