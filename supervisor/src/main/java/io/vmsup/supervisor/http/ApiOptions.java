package io.vmsup.supervisor.http;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Options of the HTTP API router.
 *
 * @param token the bearer token every {@code /v1} route requires
 * @param logs where VM log files are, for {@code GET /v1/vms/{name}/log}
 * @param metrics renders the Prometheus text for {@code GET /metrics}; {@code null} disables the route
 * @param bridge the event-bus bridge router mounted at {@code /eventbus}; {@code null} disables it
 * @param requestTimeout how long an event-bus request may take before the API answers 503
 * @param bodyLimit the largest request body accepted, in bytes (413 above)
 * @param heartbeat the interval of SSE keep-alive comments
 * @param edge the edge limits' request half, the router's first handler; {@code null} for none
 */
public record ApiOptions(AccessToken token, LogLocator logs, Supplier<Future<String>> metrics, Router bridge,
    Duration requestTimeout, long bodyLimit, Duration heartbeat, EdgeGuard edge) {

  /** Defaults: 60 s request timeout, 1 MiB bodies, a heartbeat every 15 s; no metrics, no bridge. */
  public static ApiOptions defaults(AccessToken token, LogLocator logs) {
    return new ApiOptions(token, logs, null, null, Duration.ofSeconds(60), 1024 * 1024, Duration.ofSeconds(15),
        null);
  }

  public ApiOptions withMetrics(Supplier<Future<String>> metrics) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }

  public ApiOptions withBridge(Router bridge) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }

  public ApiOptions withRequestTimeout(Duration requestTimeout) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }

  public ApiOptions withBodyLimit(long bodyLimit) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }

  public ApiOptions withHeartbeat(Duration heartbeat) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }

  public ApiOptions withEdge(EdgeGuard edge) {
    return new ApiOptions(token, logs, metrics, bridge, requestTimeout, bodyLimit, heartbeat, edge);
  }
}
