package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;

/**
 * Stamps {@code "host"} on every event this member publishes on {@code vmsup.events} and {@code
 * vmsup.events.<name>}: an outbound interceptor, so the VM actors need not know they run in a fleet. Events that
 * arrive from other members were stamped where they were published.
 */
final class EventStamp {

  private EventStamp() {
  }

  static void install(Vertx vertx, String hostId) {
    vertx.eventBus().addOutboundInterceptor((DeliveryContext<Object> dc) -> {
      String address = dc.message().address();
      if ((address.equals(Addresses.EVENTS) || address.startsWith(Addresses.EVENTS + "."))
          && dc.body() instanceof JsonObject event && !event.containsKey("host")) {
        event.put("host", hostId);
      }
      dc.next();
    });
  }
}
