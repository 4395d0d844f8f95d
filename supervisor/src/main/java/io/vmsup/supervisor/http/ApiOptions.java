package io.vmsup.supervisor.http;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Options of the HTTP API router.
 *
 * @param tokens the bearer tokens every {@code /v1} route requires, by scope
 * @param metrics renders the Prometheus text for {@code GET /metrics}; {@code null} disables the route
 * @param bridge the event-bus bridge router mounted at {@code /eventbus}; {@code null} disables it
 * @param requestTimeout how long an event-bus request may take before the API answers 503
 * @param bodyLimit the largest request body accepted, in bytes (413 above)
 * @param heartbeat the interval of SSE keep-alive comments
 * @param audit receives an audit record ({@code at, transport, scope, op, vm, outcome, code, message}) for each
 *              mutating request the HTTP layer itself refuses (the bus audits the ones it receives)
 * @param edge the connection and request limits at the edge, or {@code null}
 * @param openMetrics renders the OpenMetrics text for a {@code GET /metrics} that asks for it ({@code Accept:
 *                    application/openmetrics-text}); {@code null}: such a request gets the Prometheus text
 */
public record ApiOptions(Tokens tokens, Supplier<Future<String>> metrics, Router bridge,
    Duration requestTimeout, long bodyLimit, Duration heartbeat, Consumer<JsonObject> audit, EdgeGuard edge, Supplier<Future<String>> openMetrics) {

  /** Defaults: 60 s request timeout, 1 MiB bodies, a heartbeat every 15 s; no metrics, no bridge. */
  public static ApiOptions defaults(AccessToken token) {
    return defaults(Tokens.of(token, null));
  }

  /** As {@link #defaults(AccessToken)} with both token scopes. */
  public static ApiOptions defaults(Tokens tokens) {
    return new ApiOptions(tokens, null, null, Duration.ofSeconds(60), 1024 * 1024, Duration.ofSeconds(15),
        record -> { }, null, null);
  }

  public ApiOptions withAudit(Consumer<JsonObject> audit) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withMetrics(Supplier<Future<String>> metrics) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withBridge(Router bridge) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withRequestTimeout(Duration requestTimeout) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withBodyLimit(long bodyLimit) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withHeartbeat(Duration heartbeat) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withEdge(EdgeGuard edge) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }

  public ApiOptions withOpenMetrics(Supplier<Future<String>> openMetrics) {
    return new ApiOptions(tokens, metrics, bridge, requestTimeout, bodyLimit, heartbeat, audit, edge, openMetrics);
  }
}
