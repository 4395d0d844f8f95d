package io.vmsup.supervisor.http.impl;

import io.vertx.core.json.JsonArray;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Entity tags of VMs (RFC 9110, section 8.8.3): a VM's tag is its spec version ({@code specVersion} of the view),
 * strong and quoted. {@code If-Match} is read here: {@code *}, or a comma-separated list of tags, weak ones
 * ({@code W/"..."}) included; If-Match compares strongly, so a weak tag never matches.
 */
final class EntityTags {

  /** The header value is {@code *}: any current spec. */
  static final List<String> ANY = List.of();

  // entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text
  private static final Pattern TAG = Pattern.compile("\\s*(W/)?\"([\\x21\\x23-\\x7E\\x80-\\xFF]*)\"\\s*");

  private EntityTags() {
  }

  /** The ETag header value of a VM view's {@code specVersion}. */
  static String of(String specVersion) {
    return "\"" + specVersion + "\"";
  }

  /**
   * The strong tags an {@code If-Match} value names, opaque parts without quotes ({@link #ANY} for {@code *}; an
   * empty list other than ANY when every tag given is weak).
   *
   * @throws IllegalArgumentException naming what is wrong when the value is not {@code *} nor a list of tags
   */
  static List<String> ifMatch(String header) {
    String value = header.trim();
    if (value.equals("*")) {
      return ANY;
    }
    List<String> strong = new ArrayList<>();
    int at = 0;
    Matcher m = TAG.matcher(value);
    while (true) {
      m.region(at, value.length());
      if (!m.lookingAt()) {
        throw new IllegalArgumentException("must be * or a list of entity tags such as \"3f2a...\" (with the"
            + " double quotes, as the ETag of GET /v1/vms/{name} gives it), not " + quoted(value));
      }
      if (m.group(1) == null) {
        strong.add(m.group(2));
      }
      at = m.end();
      if (at == value.length()) {
        return strong;
      }
      if (value.charAt(at) != ',') {
        throw new IllegalArgumentException("entity tags must be separated by commas, not " + quoted(value));
      }
      at++;
    }
  }

  /** The bus request's {@code ifMatch}: null for {@code *}, else the strong tags. */
  static JsonArray forBus(List<String> tags) {
    return tags == ANY ? null : new JsonArray(new ArrayList<Object>(tags));
  }

  private static String quoted(String value) {
    return "'" + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "'";
  }
}
