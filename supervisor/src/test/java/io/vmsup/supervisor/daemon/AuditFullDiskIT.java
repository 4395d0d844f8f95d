package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.testing.Await;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.api.Scope;
import io.vmsup.supervisor.audit.AuditLog;
import io.vmsup.supervisor.deploy.HostTools;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Attack (attack8): the audit log's file system full, then read-only, while pass-throughs run (real QEMU {@code
 * -machine none}, an in-process daemon, the audit directory a small tmpfs mounted as root). Every reply tells the
 * truth (QEMU's answer; a pause that paused), no call is held back, and nothing is lost without a word: every record
 * of every call (its {@code pending} and its outcome) is either in the file or on the daemon's log; once the space is
 * back every line of the file is a whole record again.
 */
class AuditFullDiskIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private final List<String> logged = new CopyOnWriteArrayList<>();

  @Test
  void aFullOrReadOnlyAuditDiskLosesNoRecordSilentlyAndNoReplyLies() throws Exception {
    assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
    Path audit = Files.createDirectory(daemons.state().resolve("audit"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", audit.toString());
    daemons.closeAfter(() -> run("umount", "-l", audit.toString()));
    Logger log = Logger.getLogger(AuditLog.class.getName());
    Handler capture = capture();
    log.addHandler(capture);
    try {
      DaemonFixture daemon = daemons.start();
      daemon.ok("POST", "/v1/vms", TestSpecs.machineNone("a"));
      daemon.ok("POST", "/v1/vms/a/start", null);
      assertThat(calls(daemon)).as("every pass-through audited, the disk not yet full").isEqualTo(3);
      Path filler = audit.resolve("filler");
      fill(filler);
      passThroughs(daemon, "full disk");
      Files.delete(filler);
      daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
      Await.result(daemon.daemon.audit().flush());
      // every line of the file is a whole record (a write cut short by the full disk is taken back, not left torn)
      List<String> lines = new ArrayList<>(Files.readAllLines(AuditLog.file(daemons.state())));
      // read-only: a file system with no writer may be remounted so; this one has the daemon's open file, so it is
      // swapped for a read-only one under it (the open file lives on, unseen: the daemon must notice and not write there)
      run("umount", "-l", audit.toString());
      run("mount", "-t", "tmpfs", "-o", "ro,size=256k,mode=0700", "tmpfs", audit.toString());
      passThroughs(daemon, "read-only");
      run("umount", audit.toString());
      run("mount", "-t", "tmpfs", "-o", "size=256k,mode=0700", "tmpfs", audit.toString());
      daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
      Await.result(daemon.daemon.audit().flush());
      lines.addAll(Files.readAllLines(AuditLog.file(daemons.state())));
      Map<String, List<String>> byCall = new TreeMap<>();
      for (String line : lines) {
        JsonObject r = new JsonObject(line);
        add(byCall, r);
      }
      // what the file misses is on the daemon's log, whole
      for (String m : logged) {
        assertThat(m).startsWith("audit record not written (");
        add(byCall, new JsonObject(m.substring(m.indexOf("): {") + 3)));
      }
      assertThat(logged).as("records refused by the full and the read-only disk").isNotEmpty();
      assertThat(logged).anyMatch(m -> m.contains("No space left on device"));
      assertThat(logged).anyMatch(m -> m.contains("Read-only file system"));
      // each call: its pending record and its outcome, in the file or on the log
      byCall.forEach((call, outcomes) -> assertThat(outcomes).as(call).contains("pending")
          .anyMatch(o -> !o.equals("pending")));
      assertThat(byCall.values().stream().filter(o -> o.contains("forbidden"))).isEmpty();
    } finally {
      log.removeHandler(capture);
    }
  }

  /** Pass-throughs on every in-process way in, each answered with the truth while the audit disk refuses writes. */
  private void passThroughs(DaemonFixture daemon, String as) throws Exception {
    JsonObject status = daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
    assertThat(status.getJsonObject("return").getString("status")).as(as).isEqualTo("running");
    EventBus bus = daemon.daemon.vertx().eventBus();
    for (String address : List.of(Addresses.QMP, Addresses.passThrough("a"))) {
      JsonObject r = Await.result(bus.<JsonObject>request(address, new JsonObject().put("name", "a")
          .put("execute", "query-status"))).body();
      assertThat(r.getJsonObject("return").getBoolean("running")).as(as + " " + address).isTrue();
    }
    // a command that changes the VM did change it
    daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "stop"));
    assertThat(qmpStatus(daemon)).as(as).isEqualTo("paused");
    daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "cont"));
    assertThat(qmpStatus(daemon)).as(as).isEqualTo("running");
    // the read token is still refused (its record is one line, forbidden)
    Throwable refused = Await.failure(bus.request(Addresses.passThrough("a"), new JsonObject()
        .put("name", "a").put("execute", "stop"), new DeliveryOptions().addHeader(Scope.HEADER, Scope.READ.json())));
    assertThat(((ReplyException) refused).failureCode()).as(as).isEqualTo(403);
    // more than a page of records: a tmpfs that is full may still take a few into the file's last page
    for (int i = 0; i < 20; i++) {
      assertThat(qmpStatus(daemon)).as(as).isEqualTo("running");
    }
  }

  private static String qmpStatus(DaemonFixture daemon) throws Exception {
    return daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"))
        .getJsonObject("return").getString("status");
  }

  private static void add(Map<String, List<String>> byCall, JsonObject r) {
    if ("qmp".equals(r.getString("op")) && r.getString("call") != null) {
      byCall.computeIfAbsent(r.getString("call"), k -> new ArrayList<>()).add(r.getString("outcome"));
    }
  }

  private int calls(DaemonFixture daemon) throws Exception {
    daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
    daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
    daemon.ok("POST", "/v1/vms/a/qmp", new JsonObject().put("execute", "query-status"));
    Await.result(daemon.daemon.audit().flush());
    return (int) Files.readAllLines(AuditLog.file(daemons.state())).stream().map(JsonObject::new)
        .filter(r -> "qmp".equals(r.getString("op")) && "ok".equals(r.getString("outcome"))).count();
  }

  private static void fill(Path filler) throws IOException {
    byte[] block = new byte[4096];
    try (OutputStream out = Files.newOutputStream(filler, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      assertThat(full.getMessage()).contains("No space left on device");
    }
  }

  private Handler capture() {
    return new Handler() {
      @Override
      public void publish(LogRecord r) {
        if (r.getLevel().intValue() >= Level.SEVERE.intValue() && r.getMessage() != null) {
          logged.add(r.getMessage());
        }
      }

      @Override
      public void flush() {
      }

      @Override
      public void close() {
      }
    };
  }

  private void run(String... command) throws Exception {
    HostTools.Run r = HostTools.run(daemons.state().getParent(), List.of(command));
    assertThat(r.exit()).as(String.join(" ", command) + ": " + r.output()).isZero();
  }
}
