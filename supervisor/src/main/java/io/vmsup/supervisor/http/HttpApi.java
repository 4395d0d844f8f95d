package io.vmsup.supervisor.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vmsup.supervisor.http.impl.HttpApiImpl;

/**
 * The HTTP API v1: a thin adapter that turns requests into event-bus requests on the supervisor's addresses
 * ({@link io.vmsup.supervisor.api.Addresses}) and bus failures into RFC 9457 problems. See {@code docs/http-api.md}.
 *
 * <p>Routes: {@code /health} (open), {@code /metrics} (open from loopback, token otherwise), {@code /v1/...} (token),
 * {@code /eventbus/...} (the bridge, which checks the token itself). Unknown routes answer a 404 problem.
 */
public interface HttpApi {

  /** The router serving the whole API. */
  static Router router(Vertx vertx, ApiOptions options) {
    return HttpApiImpl.router(vertx, options);
  }
}
