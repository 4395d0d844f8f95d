package io.vmsup.supervisor.spec.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.VmException;
import io.vmsup.supervisor.spec.RestartMode;
import io.vmsup.supervisor.spec.RuntimePaths;
import io.vmsup.supervisor.spec.SpecParser;
import io.vmsup.supervisor.spec.SupervisionRules;
import io.vmsup.supervisor.spec.VmDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A minimal private spec reader ({@code name}, {@code machine}, {@code memoryMb}, {@code extraArgs}, {@code
 * supervision}), used until the config-model module lands.
 */
public final class MiniSpecParser implements SpecParser {

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private final String qemuBinary;

  public MiniSpecParser(String qemuBinary) {
    this.qemuBinary = qemuBinary;
  }

  @Override
  public VmDefinition parse(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (RuntimeException e) {
      throw VmException.invalid("spec is not a JSON object", new JsonArray()
          .add(violation("$", "not a JSON object: " + e.getMessage())));
    }
    JsonArray violations = new JsonArray();
    Object name = json.getValue("name");
    if (!(name instanceof String s) || !NAME.matcher(s).matches()) {
      violations.add(violation("name", "must match " + NAME.pattern()));
    }
    Object mem = json.getValue("memoryMb");
    if (mem != null && (!(mem instanceof Number n) || n.intValue() < 1)) {
      violations.add(violation("memoryMb", "must be a positive integer"));
    }
    JsonObject sup = json.getJsonObject("supervision", new JsonObject());
    RestartMode restart = null;
    try {
      restart = RestartMode.valueOf(sup.getString("restart", "never").toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      violations.add(violation("supervision.restart", "must be one of never, on-failure, always"));
    }
    if (!violations.isEmpty()) {
      throw VmException.invalid("invalid VM spec: " + violations.size() + " violation(s)", violations);
    }
    SupervisionRules rules = new SupervisionRules(restart,
        millis(sup, "stopGraceMs", 30_000), millis(sup, "backoffInitialMs", 1_000), millis(sup, "backoffMaxMs", 60_000),
        millis(sup, "backoffResetMs", 60_000), sup.getInteger("startLimitBurst", 5),
        millis(sup, "startLimitIntervalMs", 60_000), sup.getBoolean("startPaused", false));
    return new VmDefinition((String) name, json, rules, paths -> render(json, rules, paths));
  }

  private List<String> render(JsonObject json, SupervisionRules rules, RuntimePaths paths) {
    List<String> a = new ArrayList<>(List.of(qemuBinary, "-name", esc(json.getString("name")),
        "-machine", json.getString("machine", "none"), "-nodefaults", "-no-user-config", "-display", "none",
        "-m", Integer.toString(json.getInteger("memoryMb", 64)),
        "-chardev", "socket,id=qmp,path=" + esc(paths.qmpSocket().toString()) + ",server=on,wait=off",
        "-mon", "chardev=qmp,mode=control",
        "-pidfile", paths.pidFile().toString(),
        "-serial", "file:" + paths.serialLog(),
        "-sandbox", "on"));
    if (rules.startPaused()) {
      a.add("-S");
    }
    for (Object extra : json.getJsonArray("extraArgs", new JsonArray())) {
      a.add(String.valueOf(extra));
    }
    return a;
  }

  private static String esc(String value) {
    return value.replace(",", ",,");
  }

  private static Duration millis(JsonObject o, String key, long def) {
    return Duration.ofMillis(o.getLong(key, def));
  }

  private static JsonObject violation(String path, String message) {
    return new JsonObject().put("path", path).put("message", message);
  }
}
