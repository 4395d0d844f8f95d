package io.vmsup.supervisor.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The supervisor refuses host paths outside its roots on create, on hot-plug and at start (a stored spec whose file
 * a symbolic link now leads out of the roots), each with the JSON path and the offending path.
 */
class PathRootsIT {

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  @TempDir
  Path elsewhere;
  private Fixture f;
  private Path state;

  @BeforeEach
  void start() throws Exception {
    state = supervisors.dir().resolve("state");
    f = supervisors.start(Fixture.options(state).withAllowedPaths(List.of(supervisors.dir().resolve("images"))));
    Files.createDirectories(supervisors.dir().resolve("images"));
  }

  private static JsonObject q35(String name, JsonArray devices) {
    return new JsonObject().put("name", name).put("memory", new JsonObject().put("size", "64M"))
        .put("devices", devices).put("supervision", new JsonObject().put("startPaused", true));
  }

  private static JsonObject disk(String id, String file) {
    return new JsonObject().put("kind", "disk").put("id", id).put("file", file);
  }

  private Path image(Path p) throws Exception {
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[1 << 20]);
    return p;
  }

  private static List<String> violations(ReplyException e) {
    assertThat(e.failureCode()).isEqualTo(400);
    return new JsonObject(e.getMessage()).getJsonArray("violations").stream()
        .map(o -> ((JsonObject) o).getString("path") + ": " + ((JsonObject) o).getString("message")).toList();
  }

  @Test
  void createRefusesPathsOutsideTheRootsWithTheirJsonPath() throws Exception {
    Path outside = image(elsewhere.resolve("d.img"));
    JsonObject spec = q35("a", new JsonArray().add(disk("d0", outside.toString()))
        .add(disk("d1", supervisors.dir().resolve("images") + "/../images/x.img")))
        .put("kernel", new JsonObject().put("path", "/var/lib/../../etc/shadow"))
        .put("fwCfg", new JsonArray().add(new JsonObject().put("name", "opt/k").put("file", state + "/token")));

    List<String> v = violations(f.failure(Addresses.CREATE, spec));

    assertThat(v).hasSize(4);
    assertThat(v).anyMatch(s -> s.startsWith("devices[0].file: \"" + outside + "\" is outside the allowed paths"));
    assertThat(v).anyMatch(s -> s.startsWith("devices[1].file: ") && s.contains("must not contain \"..\""));
    assertThat(v).anyMatch(s -> s.startsWith("kernel.path: \"/var/lib/../../etc/shadow\" must not contain"));
    assertThat(v).anyMatch(s -> s.startsWith("fwCfg[0].file: ") && s.contains("belongs to the supervisor"));
    assertThat(f.request(Addresses.LIST, new JsonObject()).getJsonArray("vms")).isEmpty();
  }

  @Test
  void imagesInTheStateDirAndInAConfiguredRootAreAccepted() throws Exception {
    // images/ of the state directory is the image store, the supervisor's own (a store image is named by
    // {"image": ...}, never as a writable file): any other directory of the state directory is the operator's
    Path inState = image(state.resolve("disks/a.img"));
    Path inRoot = image(supervisors.dir().resolve("images/b.img"));
    f.request(Addresses.CREATE, q35("ok", new JsonArray().add(disk("d0", inState.toString()))
        .add(disk("d1", inRoot.toString()))));
    assertThat(f.request(Addresses.START, new JsonObject().put("name", "ok")).getString("state"))
        .isEqualTo("PAUSED");
  }

  @Test
  void hotPlugRefusesADiskOutsideTheRoots() throws Exception {
    JsonObject spec = q35("h", new JsonArray().add(new JsonObject().put("kind", "pcie-root-port").put("id", "rp1")
        .put("chassis", 1).put("slot", 1)));
    f.request(Addresses.CREATE, spec);
    f.request(Addresses.START, new JsonObject().put("name", "h"));
    Path outside = image(elsewhere.resolve("hot.img"));

    ReplyException e = f.failure(Addresses.ATTACH, new JsonObject().put("name", "h")
        .put("device", disk("d9", outside.toString()).put("bus", "rp1")));

    assertThat(violations(e)).singleElement().asString().startsWith("device.file: \"" + outside + "\" is outside");
  }

  @Test
  void aStoredSpecWhoseLinkNowLeadsOutIsNotStarted() throws Exception {
    Path target = image(supervisors.dir().resolve("images/real.img"));
    Path link = supervisors.dir().resolve("images/link.img");
    Files.createSymbolicLink(link, target);
    f.request(Addresses.CREATE, q35("s", new JsonArray().add(disk("d0", link.toString()))));
    Files.delete(link);
    Files.createSymbolicLink(link, image(elsewhere.resolve("secret.img")));

    ReplyException e = f.failure(Addresses.START, new JsonObject().put("name", "s"));

    assertThat(violations(e)).singleElement().asString()
        .startsWith("devices[0].file: \"" + link + "\" resolves through a symbolic link to " + elsewhere.toRealPath());
    assertThat(f.request(Addresses.GET, new JsonObject().put("name", "s")).getString("state"))
        .isNotIn("RUNNING", "PAUSED");
  }
}
