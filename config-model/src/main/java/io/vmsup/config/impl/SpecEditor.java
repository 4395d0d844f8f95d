package io.vmsup.config.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsup.config.Device;
import io.vmsup.config.EditableSpec;
import io.vmsup.config.JsonSyntaxException;
import io.vmsup.config.SpecEdit;
import io.vmsup.config.SpecResult;
import io.vmsup.config.Violation;
import io.vmsup.config.VmSpec;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Edits a spec's JSON tree, then runs the one parser over the result (see {@link EditableSpec}). */
public final class SpecEditor implements EditableSpec {

  private final VmSpec spec;
  private final String json;

  public SpecEditor(VmSpec spec, String json) {
    this.spec = Objects.requireNonNull(spec, "spec");
    this.json = Objects.requireNonNull(json, "json");
  }

  public static SpecEdit parse(String json) {
    SpecResult r = SpecParser.parse(json);
    if (r instanceof SpecResult.Valid v) {
      return new SpecEdit.Applied(new SpecEditor(v.spec(), json));
    }
    return new SpecEdit.Refused(((SpecResult.Invalid) r).violations());
  }

  @Override
  public VmSpec spec() {
    return spec;
  }

  @Override
  public String json() {
    return json;
  }

  @Override
  public SpecEdit withDevice(String deviceJson) {
    String at = "devices[" + spec.devices().size() + "]";
    JsonNode device;
    try {
      device = StrictJsonParser.readTree(deviceJson == null ? "" : deviceJson);
    } catch (JsonSyntaxException e) {
      return refused(at, e.getMessage());
    }
    if (!device.isObject()) {
      return refused(at, "must be a device object, not " + StrictJsonParser.describe(StrictJsonParser.toJava(device)));
    }
    return edit(root -> devices(root).add(device));
  }

  @Override
  public SpecEdit withDevice(Device device) {
    ObjectNode written = DeviceWriter.write(device);
    return edit(root -> devices(root).add(written));
  }

  @Override
  public SpecEdit withoutDevice(String id) {
    if (spec.device(id).isEmpty()) {
      return refused("devices", "has no device with id \"" + id + "\"");
    }
    return edit(root -> {
      ArrayNode devices = devices(root);
      for (int i = devices.size() - 1; i >= 0; i--) {
        if (id.equals(devices.get(i).path("id").asText(null))) {
          devices.remove(i);
        }
      }
    });
  }

  @Override
  public SpecEdit withCpus(int cpus) {
    return edit(root -> {
      JsonNode smp = root.get("smp");
      ObjectNode node = smp instanceof ObjectNode o ? o : root.putObject("smp");
      node.put("cpus", cpus);
    });
  }

  private SpecEdit edit(Consumer<ObjectNode> change) {
    // the text parsed once already: a stored spec is valid, so this read cannot fail
    ObjectNode root = (ObjectNode) StrictJsonParser.readTree(json);
    change.accept(root);
    return parse(root.toString());
  }

  private static ArrayNode devices(ObjectNode root) {
    JsonNode d = root.get("devices");
    return d instanceof ArrayNode a ? a : root.putArray("devices");
  }

  private static SpecEdit refused(String path, String message) {
    return new SpecEdit.Refused(List.of(new Violation(path, message)));
  }

}
