package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.math.BigDecimal;

/**
 * The request body as {@link ContractGuard} parsed (with the one strict reader) and validated it against the OpenAPI
 * document: routes never parse a body themselves.
 */
final class JsonBodies {

  /** The routing-context key of the validated body: a {@link JsonObject} for JSON, a {@link String} for text. */
  static final String BODY = "vmsup.body";

  private JsonBodies() {
  }

  /** The validated body, or null when the request has none. */
  static Object body(RoutingContext ctx) {
    return ctx.get(BODY);
  }

  /** The validated JSON object body, or null when the request has none (or sent text). */
  static JsonObject object(RoutingContext ctx) {
    return ctx.get(BODY) instanceof JsonObject json ? json : null;
  }

  /** A whole number the schema already bounded to an int (a JSON number such as {@code 3} or {@code 3.0}). */
  static int wholeInt(Object number) {
    return new BigDecimal(number.toString()).intValueExact();
  }
}
