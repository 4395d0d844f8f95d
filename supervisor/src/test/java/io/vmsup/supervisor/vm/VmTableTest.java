package io.vmsup.supervisor.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Reason;
import io.vmsup.supervisor.api.VmHandle;
import io.vmsup.supervisor.api.VmState;
import io.vmsup.supervisor.spec.MacsInUse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The VM table's kept answers are those a scan of every view would give: the list text (by name, filtered, each
 * view as {@code toJson}) after every put and remove, and the MACs in use after creates, edits, deletes and a
 * re-population (a daemon restart), also while many threads change it at once.
 */
class VmTableTest {

  private static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");

  static VmHandle view(String name, VmState state, JsonObject spec, JsonObject layout) {
    return new VmHandle(name, state, Reason.CREATED, T0, state == VmState.RUNNING ? 4242 : 0, 0, null, null, null,
        null, spec, new JsonArray(), true, null, layout, "v1");
  }

  static JsonObject spec(String name, String mac, String tier) {
    JsonObject nic = new JsonObject().put("kind", "nic").put("id", "n0").put("backend", "user");
    if (mac != null) {
      nic.put("mac", mac);
    }
    JsonObject s = new JsonObject().put("name", name).put("devices", new JsonArray().add(nic));
    return tier == null ? s : s.put("labels", new JsonObject().put("tier", tier));
  }

  static JsonObject layout(String assigned) {
    return new JsonObject().put("devices", new JsonObject()).put("macs", new JsonObject().put("n1", assigned));
  }

  /** What a scan of every view answers (the list before the table kept its text). */
  private static String scanned(VmTable t, java.util.function.Predicate<JsonObject> filter) {
    JsonArray vms = new JsonArray();
    t.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).filter(h -> filter.test(h.spec()))
        .forEach(h -> vms.add(h.toJson()));
    return new JsonObject().put("vms", vms).encode();
  }

  private static Set<String> scannedMacs(VmTable t, String except) {
    Set<String> out = new HashSet<>();
    t.values().stream().filter(h -> !h.name().equals(except)).forEach(h -> out.addAll(MacsInUse.of(h)));
    return out;
  }

  @Test
  void theListIsCurrentAfterEveryCreateStateChangeAndDelete() {
    VmTable t = new VmTable();
    assertThat(t.list(s -> true).toString()).isEqualTo("{\"vms\":[]}");
    t.put("b", view("b", VmState.DEFINED, spec("b", null, "web"), null));
    t.put("a", view("a", VmState.DEFINED, spec("a", "52:54:00:AA:00:01", null), null));
    assertThat(t.list(s -> true).toString()).isEqualTo(scanned(t, s -> true));
    t.put("b", view("b", VmState.RUNNING, spec("b", null, "web"), layout("52:54:00:00:00:02")));
    String listed = t.list(s -> true).toString();
    assertThat(listed).as("the state change shows").contains("\"RUNNING\"").isEqualTo(scanned(t, s -> true));
    t.put("c", view("c", VmState.DEFINED, spec("c", null, "web"), null));
    java.util.function.Predicate<JsonObject> web = s -> s.getJsonObject("labels") != null
        && "web".equals(s.getJsonObject("labels").getString("tier"));
    assertThat(t.list(web).toString()).isEqualTo(scanned(t, web)).doesNotContain("\"a\"");
    t.remove("b");
    assertThat(t.list(s -> true).toString()).isEqualTo(scanned(t, s -> true)).doesNotContain("\"b\"");
    assertThat(new JsonObject(t.list(s -> true)).getJsonArray("vms")).hasSize(2);
  }

  @Test
  void changesMovesWithEveryPutAndRemoveAndOnlyThen() {
    VmTable t = new VmTable();
    long c0 = t.changes();
    t.put("a", view("a", VmState.DEFINED, spec("a", null, null), null));
    long c1 = t.changes();
    assertThat(c1).isGreaterThan(c0);
    t.list(s -> true);
    t.get("a");
    t.remove("nope");
    assertThat(t.changes()).as("reads and a remove of nothing change nothing").isEqualTo(c1);
    t.put("a", view("a", VmState.RUNNING, spec("a", null, null), null));
    long c2 = t.changes();
    assertThat(c2).as("a state change").isGreaterThan(c1);
    t.remove("a");
    assertThat(t.changes()).isGreaterThan(c2);
  }

  @Test
  void theMacsInUseFollowCreatesEditsDeletesAndARepopulation() {
    VmTable t = new VmTable();
    t.put("y", view("y", VmState.DEFINED, spec("y", "52:54:00:AB:CD:EF", null), null));
    t.put("z", view("z", VmState.DEFINED, spec("z", null, null), layout("52:54:00:00:00:01")));
    assertThat(t.macsInUse(null)).containsExactlyInAnyOrder("52:54:00:ab:cd:ef", "52:54:00:00:00:01");
    assertThat(t.macsInUse("y")).containsExactly("52:54:00:00:00:01");
    assertThat(t.macsInUse("z").contains("52:54:00:00:00:01")).as("a VM's own MACs are not in its way").isFalse();
    // a state change keeps the spec: the MACs stay
    t.put("y", view("y", VmState.RUNNING, t.get("y").spec(), null));
    assertThat(t.macsInUse(null).contains("52:54:00:ab:cd:ef")).isTrue();
    // an edit drops y's explicit MAC
    t.put("y", view("y", VmState.DEFINED, spec("y", null, null), null));
    assertThat(t.macsInUse(null).contains("52:54:00:ab:cd:ef")).isFalse();
    // two VMs name one MAC: it stays in use until both let go
    t.put("w", view("w", VmState.DEFINED, spec("w", "52:54:00:00:00:01", null), null));
    t.remove("z");
    assertThat(t.macsInUse(null).contains("52:54:00:00:00:01")).isTrue();
    assertThat(t.macsInUse("w").contains("52:54:00:00:00:01")).isFalse();
    t.remove("w");
    assertThat(t.macsInUse(null)).isEmpty();
    // a restart: the table is emptied and filled again from the recovered views
    t.put("z", view("z", VmState.DEFINED, spec("z", null, null), layout("52:54:00:00:00:01")));
    t.clear();
    assertThat(t.macsInUse(null)).isEmpty();
    t.put("z", view("z", VmState.DEFINED, spec("z", null, null), layout("52:54:00:00:00:01")));
    assertThat(t.macsInUse(null)).containsExactly("52:54:00:00:00:01");
  }

  @Test
  void manyThreadsChangingTheTableLeaveTheSameAnswersAsAScan() throws Exception {
    VmTable t = new VmTable();
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int w = 0; w < threads; w++) {
      done.add(pool.submit(() -> {
        go.await();
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 5_000; i++) {
          // 50 names shared by all threads, 20 MACs: the same MAC in several VMs, the same VM from several threads
          String name = "vm" + r.nextInt(50);
          String mac = String.format("52:54:00:00:00:%02x", r.nextInt(20));
          switch (r.nextInt(4)) {
            case 0 -> t.remove(name);
            case 1 -> t.put(name, view(name, VmState.DEFINED, spec(name, mac, null), null));
            case 2 -> t.put(name, view(name, VmState.STOPPED, spec(name, null, null), layout(mac)));
            default -> t.list(s -> true);
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : done) {
      f.get(2, TimeUnit.MINUTES);
    }
    pool.shutdown();
    assertThat(new HashSet<>(t.macsInUse(null))).isEqualTo(scannedMacs(t, null));
    for (String name : List.copyOf(t.keySet())) {
      assertThat(new HashSet<>(t.macsInUse(name))).as(name).isEqualTo(scannedMacs(t, name));
    }
    assertThat(t.list(s -> true).toString()).isEqualTo(scanned(t, s -> true));
  }
}
