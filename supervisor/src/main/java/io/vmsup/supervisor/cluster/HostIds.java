package io.vmsup.supervisor.cluster;

import java.util.regex.Pattern;

/** The rules of a host id: it is a segment of event-bus addresses ({@code vmsup.host.<id>.vm.start}). */
public final class HostIds {

  /** What a host id may be, for error messages. */
  public static final String RULE = "must be 1-63 lowercase letters, digits and '-', starting and ending with a"
      + " letter or digit";

  private static final Pattern ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private HostIds() {
  }

  public static boolean valid(String id) {
    return id != null && ID.matcher(id).matches();
  }
}
