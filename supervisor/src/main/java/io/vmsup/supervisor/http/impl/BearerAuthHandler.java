package io.vmsup.supervisor.http.impl;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.http.Tokens;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>} (401 problem otherwise) and remembers the
 * token's scope on the routing context; a read-only token gets 403 for every method but GET and HEAD.
 */
final class BearerAuthHandler implements Handler<RoutingContext> {

  private static final String SCOPE = "vmsup.scope";

  private final Tokens tokens;
  private final Consumer<JsonObject> audit;

  BearerAuthHandler(Tokens tokens, Consumer<JsonObject> audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  /** The scope of an authenticated request, or null. */
  static Scope scope(RoutingContext ctx) {
    return ctx.get(SCOPE);
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (check(ctx)) {
      ctx.next();
    }
  }

  /** True when the request carries a token its method is allowed for; otherwise answers 401/403, returns false. */
  boolean check(RoutingContext ctx) {
    Optional<Scope> scope = tokens.scopeOf(ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (scope.isEmpty()) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"vmsup\"");
      Responses.problem(ctx, HttpProblems.unauthorized());
      return false;
    }
    ctx.put(SCOPE, scope.get());
    HttpMethod method = ctx.request().method();
    if (scope.get() == Scope.READ && method != HttpMethod.GET && method != HttpMethod.HEAD) {
      String what = method.name() + " " + ctx.request().path();
      String message = "the read-only token may not " + what + "; use the admin token";
      audit.accept(AuditLog.entry("http", Scope.READ.json(), what, ctx.pathParam("name"), "forbidden",
          ErrorCode.FORBIDDEN.code(), message));
      Responses.problem(ctx, ProblemMapper.problem(ErrorCode.FORBIDDEN, message, null));
      return false;
    }
    return true;
  }
}
