package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpecs;

/**
 * Why a VM spec body is refused, in config-model's words: every problem at once, each with what is allowed. The
 * schema refuses nothing config-model takes ({@code VmSpecSchemaTest}), so a body the schema refused has them.
 */
final class SpecExplainer {

  private SpecExplainer() {
  }

  /** config-model's violations of the spec text; empty when it takes the spec. */
  static JsonArray violations(String text) {
    JsonArray out = new JsonArray();
    if (VmSpecs.parse(text) instanceof SpecResult.Invalid invalid) {
      for (Violation v : invalid.violations()) {
        out.add(new JsonObject().put("path", v.path()).put("message", v.message()));
      }
    }
    return out;
  }
}
