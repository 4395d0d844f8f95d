package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code vmsup.vm.replace} against a real supervisor and QEMU: conditional on the spec version, only without a
 * process, durable across a daemon restart; and a write that fails in the middle (the spec's write refused after
 * the layout's) leaves the old spec, in the daemon and on disk, with a reply that says so.
 */
class SpecReplaceIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static JsonObject q35(String name, String memory, JsonObject... devices) {
    return new JsonObject().put("name", name).put("machine", new JsonObject().put("type", "q35").put("accel", "tcg"))
        .put("memory", new JsonObject().put("size", memory)).put("devices", new JsonArray(java.util.List.of(
            (Object[]) devices)));
  }

  private static JsonObject nic(String id) {
    return new JsonObject().put("kind", "nic").put("id", id).put("backend", "user");
  }

  private static JsonObject replace(String name, JsonObject spec, String... versions) {
    JsonObject body = new JsonObject().put("name", name).put("spec", spec);
    return versions.length == 0 ? body : body.put("ifMatch", new JsonArray(java.util.List.of((Object[]) versions)));
  }

  private static JsonObject body(ReplyException e) {
    return new JsonObject(e.getMessage());
  }

  @Test
  void aReplaceIsConditionalOnlyWithoutAProcessAndSurvivesARestart() throws Exception {
    Fixture f = supervisors.start();
    String v1 = f.request(Addresses.CREATE, Fixture.spec("a")).getString("specVersion");
    assertThat(v1).matches("[0-9a-f]{32}");
    JsonObject next = Fixture.spec("a").put("memory", new JsonObject().put("size", "256M"));

    JsonObject view = f.request(Addresses.REPLACE, replace("a", next, "0000", v1));
    assertThat(view.getJsonObject("spec")).isEqualTo(next);
    String v2 = view.getString("specVersion");
    assertThat(v2).isNotEqualTo(v1);
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getString("specVersion")).isEqualTo(v2);

    ReplyException stale = f.failure(Addresses.REPLACE, replace("a", Fixture.spec("a"), v1));
    assertThat(stale.failureCode()).isEqualTo(412);
    assertThat(body(stale).getString("specVersion")).isEqualTo(v2);
    assertThat(f.request(Addresses.GET, Fixture.name("a")).getJsonObject("spec")).isEqualTo(next);

    ReplyException renamed = f.failure(Addresses.REPLACE, replace("a", Fixture.spec("b"), v2));
    assertThat(renamed.failureCode()).isEqualTo(400);
    assertThat(body(renamed).getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo("name");
    ReplyException invalid = f.failure(Addresses.REPLACE, replace("a", Fixture.spec("a")
        .put("memory", new JsonObject().put("size", "lots")), v2));
    assertThat(body(invalid).getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo("memory.size");
    assertThat(f.failure(Addresses.REPLACE, replace("nobody", Fixture.spec("nobody"))).failureCode())
        .isEqualTo(404);

    f.request(Addresses.START, Fixture.name("a"));
    ReplyException running = f.failure(Addresses.REPLACE, replace("a", Fixture.spec("a"), v2));
    assertThat(running.failureCode()).isEqualTo(409);
    assertThat(body(running).getString("state")).isEqualTo("RUNNING");
    f.request(Addresses.STOP, Fixture.name("a").put("graceSeconds", 0));

    // a hot-plug (here to the stopped VM's spec) is a spec change too: a new version
    JsonObject plugged = f.request(Addresses.ATTACH, Fixture.name("a").put("device",
        new JsonObject().put("kind", "iothread").put("id", "io0")));
    assertThat(plugged.getBoolean("live")).isFalse();
    String v3 = f.request(Addresses.GET, Fixture.name("a")).getString("specVersion");
    assertThat(v3).isNotIn(v1, v2);
    JsonObject third = f.request(Addresses.GET, Fixture.name("a")).getJsonObject("spec");

    f.close();
    f = supervisors.start();
    JsonObject after = f.request(Addresses.GET, Fixture.name("a"));
    assertThat(after.getJsonObject("spec")).isEqualTo(third);
    assertThat(after.getString("specVersion")).as("the same spec, the same version after a restart").isEqualTo(v3);
    assertThat(f.request(Addresses.START, Fixture.name("a")).getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void aWriteRefusedMidReplaceLeavesTheOldSpecAndARestartShowsIt() throws Exception {
    Fixture f = supervisors.start();
    JsonObject old = q35("w", "128M", nic("n0"), nic("n1"));
    JsonObject created = f.request(Addresses.CREATE, old);
    JsonObject layout = created.getJsonObject("pciLayout");
    Path dir = supervisors.dir().resolve("vms").resolve("w");
    // the store's fault: spec.json's temporary file cannot be made (a directory is in its place), while pci.json,
    // written first, goes through
    Files.createDirectories(dir.resolve(".spec.json.tmp").resolve("x"));

    ReplyException e = f.failure(Addresses.REPLACE, replace("w", q35("w", "256M", nic("n0"), nic("n2")),
        created.getString("specVersion")));
    JsonObject problem = body(e);
    assertThat(e.failureCode()).as(problem.encode()).isEqualTo(507);
    assertThat(problem.getString("message")).startsWith("VM 'w' keeps its spec (not replaced) (state DEFINED), but");
    JsonObject view = f.request(Addresses.GET, Fixture.name("w"));
    assertThat(view.getJsonObject("spec")).isEqualTo(old);
    assertThat(view.getString("specVersion")).isEqualTo(created.getString("specVersion"));
    assertThat(new JsonObject(Files.readString(dir.resolve("spec.json")))).isEqualTo(old);
    JsonObject onDisk = new JsonObject(Files.readString(dir.resolve("pci.json")));
    for (String id : new String[] {"n0", "n1"}) {
      assertThat(onDisk.getJsonObject("devices").getString(id)).as("the old spec's devices keep their places")
          .isEqualTo(layout.getJsonObject("devices").getString(id));
      assertThat(onDisk.getJsonObject("macs").getString(id)).isEqualTo(layout.getJsonObject("macs").getString(id));
    }

    // what a crash at this point leaves: the next daemon supervises the old spec, its devices where they were
    f.close();
    Files.delete(dir.resolve(".spec.json.tmp").resolve("x"));
    Files.delete(dir.resolve(".spec.json.tmp"));
    f = supervisors.start();
    JsonObject after = f.request(Addresses.GET, Fixture.name("w"));
    assertThat(after.getJsonObject("spec")).isEqualTo(old);
    for (String id : new String[] {"n0", "n1"}) {
      assertThat(after.getJsonObject("pciLayout").getJsonObject("devices").getString(id))
          .isEqualTo(layout.getJsonObject("devices").getString(id));
    }
    // and the replace, tried again, goes through: the new NIC's slot, the removed one's freed
    JsonObject replaced = f.request(Addresses.REPLACE, replace("w", q35("w", "256M", nic("n0"), nic("n2")),
        after.getString("specVersion")));
    assertThat(replaced.getJsonObject("pciLayout").getJsonObject("devices").fieldNames())
        .containsExactlyInAnyOrder("n0", "n2");
    assertThat(replaced.getJsonObject("pciLayout").getJsonObject("devices").getString("n0"))
        .isEqualTo(layout.getJsonObject("devices").getString("n0"));
    assertThat(new JsonObject(Files.readString(dir.resolve("spec.json"))).getJsonObject("memory").getString("size"))
        .isEqualTo("256M");
  }
}
