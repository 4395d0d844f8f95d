package io.vmsup.supervisor.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.guest.GuestImage;
import io.vmsup.supervisor.guest.TestGuest;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User-networking port forwards through a real daemon in a network namespace of the test: a forward reaches a
 * listener (busybox httpd) in a real guest; a second VM wanting the same host socket is refused at create naming
 * the first (409); a port another process holds is refused at start, truthfully (409, nothing spawned); hostile
 * forwards are refused with their paths (400); a privileged port is refused while QEMU runs under a uid of its own.
 */
class HostForwardIT {

  @TempDir
  Path state;
  private NetNs ns;
  private NsDaemon daemon;
  private NsGuest guest;
  private Process holder;

  @AfterEach
  void cleanUp() throws Exception {
    if (guest != null) {
      guest.close();
    }
    if (holder != null) {
      holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (daemon != null) {
      daemon.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  private static JsonObject userNic(String id, JsonArray forwards) {
    return new JsonObject().put("kind", "nic").put("id", id).put("backend", "user").put("hostForwards", forwards);
  }

  private static JsonObject forward(String proto, String address, Object hostPort, Object guestPort) {
    JsonObject f = new JsonObject().put("proto", proto).put("hostPort", hostPort).put("guestPort", guestPort);
    return address == null ? f : f.put("hostAddress", address);
  }

  private static JsonObject vm(String name, GuestImage image, JsonObject... nics) {
    return NsGuest.spec(name, image, new JsonArray(java.util.List.of((Object[]) nics)));
  }

  @Test
  void aForwardReachesTheGuestAndClashesAreRefusedNamingBoth() throws Exception {
    GuestImage image = TestGuest.image();
    ns = NetNs.create();
    ns.exec("ip", "link", "set", "lo", "up");
    daemon = NsDaemon.start(ns, state, "--allowed-paths", image.roots().get(0) + ":/var/lib/vmsup");

    daemon.expect(201, "POST", "/v1/vms", vm("web", image,
        userNic("u0", new JsonArray().add(forward("tcp", "127.0.0.1", 2222, 8080)))));
    // the same socket (every address includes 127.0.0.1) in another VM: 409 naming both forwards
    JsonObject clash = daemon.expect(409, "POST", "/v1/vms", vm("dup", image,
        userNic("u0", new JsonArray().add(forward("tcp", null, 2222, 22)))));
    assertThat(clash.toString()).contains("'web'").contains("devices[0].hostForwards[0]")
        .contains("tcp 0.0.0.0:2222").contains("tcp 127.0.0.1:2222");
    assertThat(daemon.call("GET", "/v1/vms/dup", null).status()).isEqualTo(404);
    // udp on the same port, another address on it: no clash
    daemon.expect(201, "POST", "/v1/vms", vm("other", image,
        userNic("u0", new JsonArray().add(forward("udp", null, 2222, 53))
            .add(forward("tcp", "127.0.0.2", 2222, 22)))));

    hostile(image);

    // a port another process holds: the start says so (nothing spawned), the VM stays startable later
    holder = new ProcessBuilder(ns.prefix()).command(concat(ns.prefix(), "python3", "-c",
        "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',2223))\ns.listen()\nprint('held',flush=True)"
            + "\ntime.sleep(600)")).redirectErrorStream(true).start();
    assertThat(new String(holder.getInputStream().readNBytes(5))).isEqualTo("held\n");
    daemon.expect(201, "POST", "/v1/vms", vm("busy", image,
        userNic("u0", new JsonArray().add(forward("tcp", "127.0.0.1", 2223, 22)))));
    JsonObject busy = daemon.expect(409, "POST", "/v1/vms/busy/start", null);
    assertThat(busy.toString()).contains("tcp 127.0.0.1:2223").contains("devices[0].hostForwards[0]")
        .contains("in use by another process");
    assertThat(daemon.expect(200, "GET", "/v1/vms/busy", null).getValue("pid")).as("nothing spawned").isNull();

    // the forward reaches a listener in the guest
    guest = new NsGuest(() -> daemon, "web");
    guest.start();
    assertThat(guest.lease()).isEqualTo("10.0.2.15");
    assertThat(guest.run("mkdir -p /tmp/www && echo GUEST-SERVED > /tmp/www/index.html && httpd -p 8080 -h /tmp/www")
        .rc()).isZero();
    assertThat(ns.exec("curl", "-sS", "--max-time", "30", "http://127.0.0.1:2222/index.html")).contains("GUEST-SERVED");
    // an attach to a stopped VM of a NIC forwarding web's socket: 409 as at create
    JsonObject attach = daemon.expect(409, "POST", "/v1/vms/other/devices",
        userNic("u9", new JsonArray().add(forward("tcp", "127.0.0.1", 2222, 80))));
    assertThat(attach.toString()).contains("'web'").contains("device.hostForwards[0]");
  }

  /** Hostile forwards: every problem with its path, nothing created. */
  private void hostile(GuestImage image) throws Exception {
    JsonObject bad = daemon.expect(400, "POST", "/v1/vms", vm("bad", image,
        userNic("u0", new JsonArray().add(forward("tcp", null, 0, 65536)).add(forward("sctp", "1.2.3", "22", 22))
            .add(forward("tcp", "127.0.0.1,hostfwd=tcp::1-:1", 1, 1))),
        userNic("u1", new JsonArray().add(forward("tcp", null, 3000, 1)).add(forward("tcp", null, 3000, 2)))));
    assertThat(bad.toString()).contains("devices[0].hostForwards[0].hostPort", "devices[0].hostForwards[0].guestPort",
        "devices[0].hostForwards[1].proto", "devices[0].hostForwards[1].hostAddress",
        "devices[0].hostForwards[1].hostPort", "devices[0].hostForwards[2].hostAddress",
        "devices[1].hostForwards[1].hostPort");
    // QEMU runs under a uid of its own (the default as root): a port below 1024 it could not bind
    JsonObject privileged = daemon.expect(400, "POST", "/v1/vms", vm("priv", image,
        userNic("u0", new JsonArray().add(forward("tcp", null, 80, 80)))));
    assertThat(privileged.toString()).contains("devices[0].hostForwards[0].hostPort").contains("privileged");
    for (String name : new String[] {"bad", "priv"}) {
      assertThat(daemon.call("GET", "/v1/vms/" + name, null).status()).isEqualTo(404);
    }
  }

  private static java.util.List<String> concat(java.util.List<String> prefix, String... more) {
    java.util.List<String> all = new java.util.ArrayList<>(prefix);
    all.addAll(java.util.List.of(more));
    return all;
  }
}
