package io.vmsup.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where a fleet may place a VM (JSON key {@code placement}; only a daemon run with {@code --cluster} reads it, and it is
 * never rendered into QEMU's argv): on one named host, or on a host whose labels include every {@code labels} entry.
 * Stored with the VM like the rest of its spec.
 *
 * @param host   the host id the VM must be created on
 * @param labels labels a host must carry (equal values) to take the VM
 */
public record Placement(Optional<String> host, Map<String, String> labels) {

  /** A host id: the segment of the host's event-bus addresses. */
  public static final String HOST_RULE = "must be a host id: 1-63 lowercase letters, digits and '-', starting and"
      + " ending with a letter or digit";
  /** A label key or value. */
  public static final String LABEL_RULE = "must be 1-63 letters, digits, '.', '_', '/', '-', starting with a letter"
      + " or digit";
  /** The most labels a spec or a placement may carry. */
  public static final int MAX_LABELS = 64;

  public Placement {
    labels = Map.copyOf(new TreeMap<>(labels));
  }

  /** Whether a host with these labels satisfies the constraints. */
  public boolean matches(Map<String, String> hostLabels) {
    return labels.entrySet().stream().allMatch(e -> e.getValue().equals(hostLabels.get(e.getKey())));
  }
}
