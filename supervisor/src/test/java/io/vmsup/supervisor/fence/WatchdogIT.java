package io.vmsup.supervisor.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.SupervisorExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog process on its own, with real QEMUs (machine none) as victims: it kills exactly the guarded QEMUs once
 * the lease is not renewed, never a process whose command line does not name the VM, and a release ends it without a
 * kill.
 */
class WatchdogIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  private Process qemu(String name) throws Exception {
    Process p = new ProcessBuilder("qemu-system-x86_64", "-machine", "none", "-nodefaults", "-display", "none",
        "-name", "guest=" + name + ",debug-threads=on")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    sup.closeAfter(p::destroyForcibly);
    return p;
  }

  private Process watchdog(Path socket) throws Exception {
    String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        Watchdog.class.getName(), socket.toString()).redirectErrorStream(true).start();
    sup.closeAfter(p::destroyForcibly);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).contains("listening on " + socket);
    return p;
  }

  private static SocketChannel connect(Path socket) throws Exception {
    return SocketChannel.open(UnixDomainSocketAddress.of(socket));
  }

  private static JsonObject renew(SocketChannel c, long fenceAfterMs, Map<String, Long> vms) throws Exception {
    JsonArray list = new JsonArray();
    vms.forEach((name, pid) -> list.add(new JsonObject().put("name", name).put("pid", pid)));
    String line = new JsonObject().put("op", "renew").put("fenceAfterMs", fenceAfterMs).put("vms", list).encode();
    c.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
    return new JsonObject(new BufferedReader(new InputStreamReader(Channels.newInputStream(c),
        StandardCharsets.UTF_8)).readLine());
  }

  @Test
  void anUnrenewedLeaseKillsTheGuardedQemuOnly() throws Exception {
    Path socket = sup.dir().resolve("watchdog.sock");
    Process dog = watchdog(socket);
    Process r1 = qemu("r1");
    Process w1 = qemu("w1");
    Process impostor = qemu("x1");
    try (SocketChannel c = connect(socket)) {
      // guarded: r1; not guarded: w1 (not in the lease), and x1's pid under another VM's name
      JsonObject ack = renew(c, 60_000, Map.of("r1", r1.pid(), "r9", impostor.pid()));
      assertThat(ack.getInteger("guarded")).isEqualTo(1);
      ack = renew(c, 1_000, Map.of("r1", r1.pid(), "r9", impostor.pid()));
      assertThat(ack.getInteger("guarded")).isEqualTo(1);
    }
    assertThat(r1.waitFor(60, TimeUnit.SECONDS)).as("r1 killed").isTrue();
    assertThat(dog.waitFor(60, TimeUnit.SECONDS)).as("the watchdog exits after fencing").isTrue();
    assertThat(w1.isAlive()).isTrue();
    assertThat(impostor.isAlive()).isTrue();
    List<String> fenced = Files.readAllLines(sup.dir().resolve("fenced.log"));
    assertThat(fenced).singleElement().satisfies(l -> {
      JsonObject f = new JsonObject(l);
      assertThat(f.getString("vm")).isEqualTo("r1");
      assertThat(f.getLong("pid")).isEqualTo(r1.pid());
      assertThat(f.getString("outcome")).isEqualTo("killed");
    });
  }

  @Test
  void aReleaseEndsTheWatchdogWithoutAKill() throws Exception {
    Path socket = sup.dir().resolve("watchdog.sock");
    Process dog = watchdog(socket);
    Process r1 = qemu("r1");
    try (SocketChannel c = connect(socket)) {
      renew(c, 1_000, Map.of("r1", r1.pid()));
      c.write(ByteBuffer.wrap("{\"op\":\"release\"}\n".getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(dog.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(dog.exitValue()).isZero();
    assertThat(r1.isAlive()).isTrue();
    assertThat(sup.dir().resolve("fenced.log")).doesNotExist();
  }

  @Test
  void aLeaseRenewedInTimeNeverFencesAndABrokenLineDoesNotEndIt() throws Exception {
    Path socket = sup.dir().resolve("watchdog.sock");
    Process dog = watchdog(socket);
    Process r1 = qemu("r1");
    try (SocketChannel c = connect(socket)) {
      renew(c, 60_000, Map.of("r1", r1.pid()));
    }
    try (SocketChannel garbage = connect(socket)) {
      garbage.write(ByteBuffer.wrap("{not json\n".getBytes(StandardCharsets.UTF_8)));
    }
    try (SocketChannel c = connect(socket)) {
      // a second connection (a restarted daemon) renews the same lease
      for (int i = 0; i < 5; i++) {
        assertThat(renew(c, 60_000, Map.of("r1", r1.pid())).getInteger("guarded")).isEqualTo(1);
      }
    }
    assertThat(r1.isAlive()).isTrue();
    assertThat(dog.isAlive()).isTrue();
  }
}
