package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.vmsup.config.Placement;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Reads {@code placement} and the VM's {@code labels}. */
final class PlacementParser {

  static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/-]{0,62}");

  private PlacementParser() {
  }

  static Placement parse(Obj o) {
    Optional<String> host = o.optString("host");
    host.ifPresent(h -> o.problems().check(HOST.matcher(h).matches(), o.at("host"), Placement.HOST_RULE));
    Map<String, String> labels = o.optObj("labels").map(PlacementParser::labels).orElse(Map.of());
    o.problems().check(o.has("host") || o.has("labels"), o.path(), "must name a host or labels");
    o.end();
    return new Placement(host, labels);
  }

  /** An object of string values; keys and values follow {@link Placement#LABEL_RULE}. */
  static Map<String, String> labels(Obj o) {
    Map<String, String> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = o.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      String where = o.at(e.getKey());
      o.problems().check(LABEL.matcher(e.getKey()).matches(), where, "key " + Placement.LABEL_RULE);
      Optional<String> value = o.text(e.getValue(), where);
      value.ifPresent(v -> {
        o.problems().check(LABEL.matcher(v).matches(), where, Placement.LABEL_RULE);
        out.put(e.getKey(), v);
      });
    }
    o.problems().check(out.size() <= Placement.MAX_LABELS, o.path(), "at most " + Placement.MAX_LABELS
        + " labels");
    return out;
  }
}
