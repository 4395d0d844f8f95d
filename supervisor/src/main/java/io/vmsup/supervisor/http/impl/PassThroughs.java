package io.vmsup.supervisor.http.impl;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vmsup.supervisor.api.Addresses;
import java.util.function.Function;

/**
 * The edge's way to a VM's QMP pass-through (issue 15): straight to the VM's actor on its own address ({@link
 * Addresses#passThrough}), so the request crosses one event loop less than through the registry; when that address
 * has no handler (no such VM on this host, one being deleted, one not yet recovered) the request goes to {@link
 * Addresses#QMP}, whose answer (the registry's 404, the fleet router's forward) is the authoritative one. Either way the
 * bus's scope gate and audit see it as the pass-through. In a fleet every call goes through {@link Addresses#QMP}: the
 * fleet's directory, not this host's table, says where a VM runs.
 */
final class PassThroughs {

  /** Vert.x's answer to a request its consumer dropped unread (unregistered while the request was on its way). */
  private static final String DISCARDED = "Discarded the request";
  private static final String PREFIX = "/v1/vms/";
  private static final String SUFFIX = "/qmp";

  private PassThroughs() {
  }

  /**
   * Sends through {@code send} (address → the request) to the VM's own address first, then, only if no handler read
   * the request, to {@link Addresses#QMP}.
   */
  static Future<Message<Object>> send(String vm, boolean direct, Function<String, Future<Message<Object>>> send) {
    if (!direct) {
      return send.apply(Addresses.QMP);
    }
    return send.apply(Addresses.passThrough(vm))
        .recover(t -> unread(t) ? send.apply(Addresses.QMP) : Future.failedFuture(t));
  }

  /**
   * The VM name of {@code path}, {@code /v1/vms/NAME/qmp} as the contract guard matched it, when NAME is written as
   * itself: a letter or digit, then letters, digits and {@code . _ , + -} (a VM name's characters), so Vert.x Web's
   * decoding and path normalisation would give the same name; null for any other spelling (percent-escapes, a dot
   * segment), which the path route decodes.
   */
  static String plainName(String path) {
    int from = PREFIX.length();
    int to = path.length() - SUFFIX.length();
    if (to <= from || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)) {
      return null;
    }
    for (int i = from; i < to; i++) {
      char c = path.charAt(i);
      boolean alnum = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alnum && (i == from || c != '.' && c != '_' && c != ',' && c != '+' && c != '-')) {
        return null;
      }
    }
    return path.substring(from, to);
  }

  /**
   * True when the request never reached a handler, so asking again cannot run the command twice: no handler at the
   * address, or a request the consumer discarded because it was unregistered meanwhile (never a reply timeout).
   */
  static boolean unread(Throwable t) {
    return t instanceof ReplyException r && (r.failureType() == ReplyFailure.NO_HANDLERS
        || r.failureType() == ReplyFailure.TIMEOUT && r.getMessage() != null && r.getMessage().startsWith(DISCARDED));
  }
}
