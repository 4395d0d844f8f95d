package io.vmsup.supervisor.policy;

import java.util.Locale;

/** How the raw QMP pass-through treats commands that reach outside the VM (the daemon's {@code qmpPassthrough}). */
public enum PassthroughMode {
  /** Such commands are refused (403 forbidden). The default. */
  RESTRICTED,
  /** Such commands run, and the VM is marked tainted (persisted, shown in its view) for the rest of its life. */
  UNRESTRICTED;

  /** The setting's text: {@code restricted} or {@code unrestricted}. */
  public String json() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The mode for a setting text, or null when it names none. */
  public static PassthroughMode parse(String text) {
    for (PassthroughMode m : values()) {
      if (m.json().equals(text.trim())) {
        return m;
      }
    }
    return null;
  }
}
