package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.network.Networks;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Bodies whose own validator collects every problem at once, with what is allowed: when the schema refuses such a
 * body, that validator explains why instead of the schema's first findings (a refused VM spec gets config-model's
 * violations, a refused network its parser's). An operation with such a validator adds itself here by its
 * {@code operationId}.
 */
final class BodyExplainers {

  private static final Map<String, BiFunction<String, Object, JsonArray>> BY_OPERATION = Map.of(
      "createVm", (text, value) -> SpecExplainer.violations(text),
      "replaceVm", (text, value) -> SpecExplainer.violations(text),
      "createNetwork", (text, value) -> value instanceof JsonObject o ? Networks.violations(o) : new JsonArray());

  private BodyExplainers() {
  }

  /** Whether the operation has an explainer (whose work, a whole spec's validation, may touch the file system). */
  static boolean has(String operationId) {
    return BY_OPERATION.containsKey(operationId);
  }

  /** The domain's violations of a refused body; empty when the operation has no explainer or it finds nothing. */
  static JsonArray explain(String operationId, String text, Object value) {
    BiFunction<String, Object, JsonArray> explainer = BY_OPERATION.get(operationId);
    return explainer == null ? new JsonArray() : explainer.apply(text, value);
  }
}
