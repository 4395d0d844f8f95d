package io.vmsup.config.impl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vmsup.config.PciAddress;
import io.vmsup.config.PciLayout;
import io.vmsup.config.PciSlot;
import io.vmsup.config.PlannedPort;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The stored form of a {@link PciLayout}, and a layout read back from QEMU's {@code query-pci}. */
public final class PciLayoutJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private PciLayoutJson() {
  }

  public static String write(PciLayout layout) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode devices = root.putObject("devices");
    layout.devices().forEach((id, a) -> devices.put(id, a.toString()));
    ArrayNode ports = root.putArray("ports");
    for (PlannedPort p : layout.ports()) {
      ports.addObject().put("id", p.id()).put("chassis", p.chassis()).put("slot", p.portSlot())
          .put("address", p.address().toString());
    }
    if (!layout.macsFromQemu()) {
      ObjectNode macs = root.putObject("macs");
      layout.macs().forEach(macs::put);
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings and numbers always serialises", e);
    }
  }

  public static PciLayout read(String text) {
    JsonNode root = tree(text);
    Map<String, PciAddress> devices = new LinkedHashMap<>();
    JsonNode d = root.path("devices");
    if (!d.isObject() || !root.path("ports").isArray()) {
      throw new IllegalArgumentException("a PCI layout needs \"devices\" (an object) and \"ports\" (an array)");
    }
    d.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("the address of " + e.getKey() + " must be a string BUS:SS.F");
      }
      devices.put(e.getKey(), address(e.getValue().asText()));
    });
    List<PlannedPort> ports = new java.util.ArrayList<>();
    for (JsonNode p : root.get("ports")) {
      String id = p.path("id").asText("");
      if (!id.startsWith(PciPlanner.PORT_PREFIX) || !p.path("chassis").isInt() || !p.path("slot").isInt()) {
        throw new IllegalArgumentException("a planned port needs an id vmsup-portN, a chassis and a slot: " + p);
      }
      ports.add(new PlannedPort(id, p.get("chassis").asInt(), p.get("slot").asInt(),
          address(p.path("address").asText())));
    }
    return new PciLayout(devices, ports, macs(root), !root.has("macs"));
  }

  private static Map<String, String> macs(JsonNode root) {
    Map<String, String> out = new LinkedHashMap<>();
    JsonNode m = root.path("macs");
    if (m.isMissingNode()) {
      return out;
    }
    if (!m.isObject()) {
      throw new IllegalArgumentException("\"macs\" of a PCI layout must be an object {\"nic\": \"52:54:00:..\"}");
    }
    m.fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual() || !Rules.isUnicastMac(e.getValue().asText())) {
        throw new IllegalArgumentException("the MAC of " + e.getKey() + " must be a unicast MAC address string");
      }
      out.put(e.getKey(), e.getValue().asText());
    });
    return out;
  }

  /** Reads {@code bus:SS.F}. */
  static PciAddress address(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not a PCI address BUS:SS.F: " + text);
    }
    PciSlot slot = PciSlot.parse(text.substring(colon + 1))
        .orElseThrow(() -> new IllegalArgumentException("not a PCI slot SS.F: " + text));
    return new PciAddress(text.substring(0, colon), slot);
  }

  private static JsonNode tree(String text) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
  }
}
