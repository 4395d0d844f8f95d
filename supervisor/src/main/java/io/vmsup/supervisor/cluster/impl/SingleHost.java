package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Supervisor;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.Replies;
import io.vmsup.supervisor.api.VmException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;

/** {@code vmsup.hosts.list} on a daemon that runs alone: itself, with the same fields a fleet member shows. */
public final class SingleHost {

  private SingleHost() {
  }

  public static Future<Void> serve(Vertx vertx, Supervisor supervisor) {
    String since = Instant.now().toString();
    return vertx.executeBlocking(SingleHost::hostname, false).compose(name -> {
      HostCard card = new HostCard(vertx, name, supervisor);
      var bus = vertx.eventBus();
      bus.<JsonObject>localConsumer(Addresses.HOSTS_LIST, m -> Replies.when(m, card.info().map(info -> new JsonObject()
          .put("hosts", new JsonArray().add(info.put("joinedAt", since).put("labels", new JsonObject())
              .put("cordoned", false).put("state", "up").put("addresses", new JsonObject()))))));
      for (String a : new String[] {Addresses.HOST_CORDON, Addresses.HOST_UNCORDON}) {
        bus.<JsonObject>localConsumer(a, m -> Replies.when(m, Future.failedFuture(new VmException(
            ErrorCode.CONFLICT, "this daemon runs alone, not in a fleet (vmsup run --cluster): nothing to cordon"))));
      }
      return card.probe();
    });
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
