package io.vmsup.supervisor.network;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.guest.GuestImage;
import io.vmsup.supervisor.guest.SerialConsole;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A test guest run by an {@link NsDaemon}: its console followed in the VM's {@code serial.log}, commands written
 * through the daemon ({@code POST /v1/vms/NAME/console}), each framed by markers of its own.
 */
final class NsGuest implements AutoCloseable {

  static final Duration BOOT = Duration.ofSeconds(180);
  static final Duration COMMAND = Duration.ofSeconds(90);

  final String name;
  private final java.util.function.Supplier<NsDaemon> daemons;
  private SerialConsole console;

  /** {@code daemons}: the test's current daemon (a restarted one listens elsewhere). */
  NsGuest(java.util.function.Supplier<NsDaemon> daemons, String name) {
    this.daemons = daemons;
    this.name = name;
  }

  /** A q35 VM booting the test guest with these NICs. */
  static JsonObject spec(String name, GuestImage guest, JsonArray nics) {
    JsonObject kernel = new JsonObject().put("path", guest.kernel().toString())
        .put("initrd", guest.initrd().toString()).put("cmdline", GuestImage.append());
    return new JsonObject().put("name", name).put("cpu", "max").put("kernel", kernel)
        .put("memory", new JsonObject().put("size", "192M")).put("devices", nics);
  }

  static JsonObject nic(String id, String network) {
    return new JsonObject().put("kind", "nic").put("id", id).put("network", network);
  }

  /** Starts the VM and waits for GUEST-READY. */
  void start() throws Exception {
    close();
    NsDaemon daemon = daemons.get();
    Path log = daemon.stateDir.resolve("vms").resolve(name).resolve("serial.log");
    long before = java.nio.file.Files.exists(log) ? java.nio.file.Files.readAllLines(log).stream()
        .filter(l -> l.contains(GuestImage.READY)).count() : 0;
    console = SerialConsole.follow(log);
    daemon.expect(200, "POST", "/v1/vms/" + name + "/start", null);
    for (long i = 0; i <= before; i++) {
      console.awaitLine(GuestImage.READY, BOOT);
    }
  }

  /** Runs a shell command in the guest; its exit code and output. */
  Result run(String command) throws Exception {
    String tag = UUID.randomUUID().toString().substring(0, 8);
    daemons.get().expect(200, "POST", "/v1/vms/" + name + "/console", new JsonObject().put("data",
        "echo B-" + tag + "; " + command + "; echo E-" + tag + " rc=$?\n"));
    Matcher begin = console.awaitLine(Pattern.compile("^B-" + tag + "$"), COMMAND);
    Matcher end = console.awaitLine(Pattern.compile("^E-" + tag + " rc=(\\d+)$"), COMMAND);
    List<String> all = console.snapshot();
    // the output is what lies between the two markers (it may have been read in the same chunk as the first one)
    int from = all.lastIndexOf(begin.group()) + 1;
    int to = all.lastIndexOf(end.group());
    return new Result(Integer.parseInt(end.group(1)), String.join("\n", all.subList(Math.min(from, to), to)));
  }

  /** Asks for a DHCP lease on eth0 (busybox udhcpc); the address it got. */
  String lease() throws Exception {
    return lease("eth0");
  }

  /**
   * udhcpc's hook, written by the test itself (the same as the guest's /etc/udhcpc.script): the guest image lives in
   * a cache that other worktrees' builds may replace while a test runs.
   */
  private static final String HOOK = "printf '%s\\n' '#!/bin/sh' 'case \"$1\" in'"
      + " 'deconfig) ip -4 addr flush dev \"$interface\"; ip link set \"$interface\" up;;'"
      + " 'bound|renew) ip -4 addr flush dev \"$interface\"; ip addr add \"$ip/${mask:-24}\" dev \"$interface\";"
      + " for r in $router; do ip route replace default via $r dev \"$interface\"; break; done;"
      + " echo \"GUEST-LEASE $interface $ip\";;' 'esac' 'exit 0' > /tmp/udhcpc.sh && chmod +x /tmp/udhcpc.sh";

  /** Asks for a DHCP lease on the interface; the address it got. */
  String lease(String ifname) throws Exception {
    run(HOOK);
    Result r = run("udhcpc -i " + ifname + " -n -q -t 30 -T 1 -s /tmp/udhcpc.sh");
    Matcher m = Pattern.compile("GUEST-LEASE " + ifname + " (\\S+)").matcher(r.out());
    if (r.rc() != 0 || !m.find()) {
      throw new AssertionError(name + ": no lease (rc " + r.rc() + "): " + r.out() + "\n" + console.tail());
    }
    return m.group(1);
  }

  boolean ping(String address) throws Exception {
    return run("ping -c 2 -W 3 " + address).rc() == 0;
  }

  record Result(int rc, String out) {
  }

  @Override
  public void close() throws Exception {
    if (console != null) {
      console.close();
      console = null;
    }
  }
}
