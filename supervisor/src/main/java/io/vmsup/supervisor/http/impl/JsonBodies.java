package io.vmsup.supervisor.http.impl;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.StrictJson;
import java.math.BigDecimal;
import java.util.Set;

/**
 * Request bodies through the one strict JSON reader ({@link StrictJson}), and numbers read as numbers. Every method
 * that returns null has answered the request (400 or 415) already.
 */
final class JsonBodies {

  private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

  private JsonBodies() {
  }

  /** The body as a JSON object, or null after answering 400/415. */
  static JsonObject object(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && !type.toLowerCase().startsWith("application/json")) {
      Responses.problem(ctx, HttpProblems.unsupportedMediaType());
      return null;
    }
    String text = ctx.body() == null ? null : ctx.body().asString();
    if (text == null || text.isBlank()) {
      Responses.problem(ctx, HttpProblems.badBody("", "a JSON object body is required"));
      return null;
    }
    try {
      return new JsonObject(StrictJson.parseObject(text));
    } catch (JsonSyntaxException e) {
      Responses.problem(ctx, HttpProblems.badBody("", e.getMessage()));
      return null;
    }
  }

  /** True when the body is absent or empty. */
  static boolean empty(RoutingContext ctx) {
    String text = ctx.body() == null ? null : ctx.body().asString();
    return text == null || text.isBlank();
  }

  /** Answers 400 and returns false when the object has a field not in {@code allowed}. */
  static boolean onlyFields(RoutingContext ctx, JsonObject json, Set<String> allowed) {
    for (String key : json.fieldNames()) {
      if (!allowed.contains(key)) {
        Responses.problem(ctx, HttpProblems.badBody(key, allowed.isEmpty() ? "unknown field: this request takes no"
            + " fields" : "unknown field (allowed: " + String.join(", ", allowed) + ")"));
        return false;
      }
    }
    return true;
  }

  /**
   * A whole number from {@code 0} to {@link Integer#MAX_VALUE}: a JSON number, or the text of a query parameter.
   *
   * @return the number, or null after answering 400 naming {@code field}
   */
  static Integer wholeNonNegative(RoutingContext ctx, String field, Object value, String unit) {
    String why;
    if (value instanceof Number n) {
      why = check(new BigDecimal(n.toString()), unit);
    } else if (value instanceof String s && s.matches("-?[0-9]+")) {
      why = check(new BigDecimal(s), unit);
    } else {
      why = "must be a whole number of " + unit + " >= 0, not "
          + (value instanceof String s ? "'" + s + "'" : describe(value));
    }
    if (why == null) {
      return new BigDecimal(value.toString()).intValueExact();
    }
    Responses.problem(ctx, HttpProblems.badBody(field, why));
    return null;
  }

  private static String check(BigDecimal d, String unit) {
    if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
      return "must be a whole number of " + unit + ", not " + d.toPlainString();
    }
    if (d.signum() < 0) {
      return "must be >= 0, not " + d.toPlainString();
    }
    if (d.compareTo(INT_MAX) > 0) {
      return "number out of range: must be at most " + Integer.MAX_VALUE + " " + unit + ", not " + d;
    }
    return null;
  }

  private static String describe(Object value) {
    if (value == null) {
      return "null";
    }
    return value instanceof Boolean ? "a boolean" : value instanceof JsonObject ? "an object" : "an array";
  }
}
