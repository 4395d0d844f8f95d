package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet's hosts (host id → {@link HostRecord}) and who of them is alive: a record is live while its node is a
 * member of the cluster. A host id is held by one live member at a time.
 */
final class HostTable {

  private final Vertx vertx;
  private final ClusterManager manager;
  private final AsyncMap<String, String> hosts;

  HostTable(Vertx vertx, ClusterManager manager, AsyncMap<String, String> hosts) {
    this.vertx = vertx;
    this.manager = manager;
    this.hosts = hosts;
  }

  boolean live(HostRecord r) {
    return r != null && manager.getNodes().contains(r.node());
  }

  /**
   * Takes {@code mine.host()} for this node. A record whose node has left is taken over (a restarted member takes
   * its id back, keeping its cordon); while a live member holds the id this waits up to {@code patience} (a member
   * killed a moment ago is still a member until the failure detector says otherwise), then fails CONFLICT.
   */
  Future<HostRecord> claim(HostRecord mine, Duration patience) {
    Promise<HostRecord> done = Promise.promise();
    attempt(mine, System.nanoTime() + patience.toNanos(), done);
    return done.future();
  }

  private void attempt(HostRecord mine, long deadline, Promise<HostRecord> done) {
    hosts.putIfAbsent(mine.host(), mine.encode()).compose(previous -> {
      HostRecord holder = HostRecord.decode(previous);
      if (holder == null || holder.node().equals(mine.node())) {
        return Future.succeededFuture(mine);
      }
      if (!live(holder)) {
        HostRecord taken = mine.withCordoned(holder.cordoned());
        return hosts.replaceIfPresent(mine.host(), previous, taken.encode()).map(ok -> ok ? taken : null);
      }
      if (System.nanoTime() < deadline) {
        return Future.succeededFuture(null);
      }
      return Future.failedFuture(new VmException(ErrorCode.CONFLICT, "host id '" + mine.host()
          + "' is held by a live member (cluster node " + holder.node() + " at " + holder.membership()
          + ", joined " + holder.joinedAt() + "): give this daemon another --host-id"));
    }).onComplete(ar -> {
      if (ar.failed()) {
        done.fail(ar.cause());
      } else if (ar.result() != null) {
        done.complete(ar.result());
      } else {
        vertx.setTimer(500, id -> attempt(mine, deadline, done));
      }
    });
  }

  /** Gives the id back if this node still holds it (a clean stop: a restart takes it at once). */
  Future<Void> release(HostRecord mine) {
    return hosts.get(mine.host()).compose(text -> {
      HostRecord r = HostRecord.decode(text);
      return r != null && r.node().equals(mine.node()) ? hosts.removeIfPresent(mine.host(), text).mapEmpty()
          : Future.<Void>succeededFuture();
    });
  }

  /** Every host record, by host id. */
  Future<Map<String, HostRecord>> all() {
    return hosts.entries().map(m -> {
      Map<String, HostRecord> out = new TreeMap<>();
      m.forEach((k, v) -> out.put(k, HostRecord.decode(v)));
      return out;
    });
  }

  Future<HostRecord> get(String host) {
    return hosts.get(host).map(HostRecord::decode);
  }

  /** Sets a host's cordon; fails NOT_FOUND for a host id no member ever held. */
  Future<HostRecord> cordon(String host, boolean cordoned) {
    return hosts.get(host).compose(text -> {
      HostRecord r = HostRecord.decode(text);
      if (r == null) {
        return Future.failedFuture(new VmException(ErrorCode.NOT_FOUND, "no host '" + host + "' in the fleet"));
      }
      HostRecord next = r.withCordoned(cordoned);
      return hosts.replaceIfPresent(host, text, next.encode())
          .compose(ok -> ok ? Future.succeededFuture(next) : cordon(host, cordoned));
    });
  }
}
