package io.vmsup.supervisor.bench;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** Requests on the in-process bus as the Java client sends them: the token in the authorization header. */
record LibvirtBus(EventBus bus, String token) {

  private DeliveryOptions options() {
    return new DeliveryOptions().addHeader("authorization", "Bearer " + token).setSendTimeout(60_000);
  }

  JsonObject ok(String address, JsonObject body) throws Exception {
    return bus.<JsonObject>request(address, body, options()).toCompletionStage().toCompletableFuture()
        .get(60, TimeUnit.SECONDS).body();
  }

  long get(String name) throws Exception {
    long t0 = System.nanoTime();
    JsonObject view = ok(Addresses.GET, new JsonObject().put("name", name));
    long took = System.nanoTime() - t0;
    if (!"RUNNING".equals(view.getString("state"))) {
      throw new IOException("vmsup.vm.get " + name + ": " + view.encode());
    }
    return took;
  }

  long qmp(String name) throws Exception {
    long t0 = System.nanoTime();
    JsonObject r = ok(Addresses.QMP, new JsonObject().put("name", name).put("execute", "query-status"));
    long took = System.nanoTime() - t0;
    if (!r.containsKey("return")) {
      throw new IOException("vmsup.vm.qmp query-status: " + r.encode());
    }
    return took;
  }
}
