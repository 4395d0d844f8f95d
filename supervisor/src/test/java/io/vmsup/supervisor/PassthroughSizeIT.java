package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pass-through's size limit on the bus (the actor's check, which every transport reaches), against a real QEMU
 * ({@code -machine none}): a command of exactly 64 KiB (its name and arguments as JSON) runs, one byte more never
 * reaches QEMU (the secret it would create does not exist) and fails 413 naming the bytes, the limit and the largest
 * member; escapes count as the bytes QEMU would read, not as characters; and QEMU's monitor still answers.
 */
class PassthroughSizeIT {

  private static final int LIMIT = 64 * 1024;

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();

  private static JsonObject qmp(String execute, JsonObject args) {
    return new JsonObject().put("name", "s").put("execute", execute).put("arguments", args);
  }

  /** An {@code object-add} of a secret whose name and arguments are exactly {@code bytes} long as JSON. */
  private static JsonObject secretOf(String id, int bytes) {
    JsonObject args = new JsonObject().put("qom-type", "secret").put("id", id).put("data", "");
    int empty = Json.encode("object-add").length() + args.encode().getBytes(StandardCharsets.UTF_8).length;
    return args.put("data", "x".repeat(bytes - empty));
  }

  private static List<String> objects(Fixture f) throws Exception {
    return f.request(Addresses.QMP, qmp("qom-list", new JsonObject().put("path", "/objects"))).getJsonArray("return")
        .stream().map(o -> ((JsonObject) o).getString("name")).toList();
  }

  private Fixture running() throws Exception {
    // QEMU takes ~4 us of CPU per byte of a command: give the 64 KiB one room on a loaded machine
    Fixture f = supervisors.start(supervisors.options().withCommandTimeout(Duration.ofSeconds(60)));
    f.request(Addresses.CREATE, Fixture.spec("s"));
    f.request(Addresses.START, new JsonObject().put("name", "s"));
    return f;
  }

  @Test
  void aCommandOfExactlyTheLimitRunsAndOneByteMoreNeverReachesQemu() throws Exception {
    Fixture f = running();

    JsonObject atLimit = f.request(Addresses.QMP, qmp("object-add", secretOf("fits", LIMIT)));
    ReplyException over = f.failure(Addresses.QMP, qmp("object-add", secretOf("over", LIMIT + 1)));

    assertThat(atLimit.getValue("return")).isEqualTo(new JsonObject());
    assertThat(over.failureCode()).isEqualTo(413);
    JsonObject body = new JsonObject(over.getMessage());
    assertThat(body.getString("error")).isEqualTo("too-large");
    assertThat(body.getString("message")).contains("'object-add' not sent", (LIMIT + 1) + " bytes",
        "arguments.data is the largest part", "limit of " + LIMIT + " bytes");
    assertThat(body.getString("path")).isEqualTo("arguments.data");
    assertThat(body.getLong("bytes")).isEqualTo(LIMIT + 1);
    assertThat(body.getInteger("limit")).isEqualTo(LIMIT);
    assertThat(objects(f)).contains("fits").doesNotContain("over");
  }

  @Test
  void escapesManyMembersAndAHugeNameCountAsTheBytesQemuWouldRead() throws Exception {
    Fixture f = running();
    // 11,000 characters, each written as \u0001: 66,000 bytes on the wire
    JsonObject controls = new JsonObject().put("qom-type", "secret").put("id", "ctl").put("data", "\u0001".repeat(11_000));
    JsonObject members = new JsonObject().put("qom-type", "secret").put("id", "many").put("data", "x");
    for (int i = 0; members.encode().length() <= LIMIT; i++) {
      members.put("k" + i, i);
    }
    String name = "x".repeat(LIMIT);

    ReplyException escaped = f.failure(Addresses.QMP, qmp("object-add", controls));
    ReplyException many = f.failure(Addresses.QMP, qmp("object-add", members));
    ReplyException longName = f.failure(Addresses.QMP, qmp(name, new JsonObject()));

    assertThat(escaped.failureCode()).isEqualTo(413);
    assertThat(new JsonObject(escaped.getMessage()).getLong("bytes")).isGreaterThan(66_000L);
    assertThat(many.failureCode()).isEqualTo(413);
    assertThat(longName.failureCode()).isEqualTo(413);
    assertThat(new JsonObject(longName.getMessage()).getString("path")).isEqualTo("execute");
    assertThat(new JsonObject(longName.getMessage()).getString("message")).contains("'" + "x".repeat(64) + "...'")
        .hasSizeLessThan(1000);
    assertThat(objects(f)).doesNotContain("ctl", "many");
    assertThat(f.request(Addresses.QMP, qmp("query-status", new JsonObject())).getJsonObject("return")
        .getString("status")).isEqualTo("running");
  }
}
