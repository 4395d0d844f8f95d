package io.vmsup.supervisor.spec;

import io.vertx.core.json.JsonObject;
import io.vmsup.config.RuntimeArgs;
import java.util.List;
import java.util.function.Function;

/**
 * A validated VM spec: its name, the spec as JSON (for views and {@code spec.json}), its supervision rules and the
 * renderer of its full QEMU argv (binary first) for given runtime paths. Rendering may block (host probing is done
 * once beforehand): call it on a worker.
 */
public record VmDefinition(String name, JsonObject json, SupervisionRules rules,
    Function<RuntimeArgs, List<String>> argv) {
}
