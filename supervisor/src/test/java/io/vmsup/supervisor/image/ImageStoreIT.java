package io.vmsup.supervisor.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The image store over the event bus with the real qemu-img: import, list, get, delete, and hostile imports. */
class ImageStoreIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();
  private Fixture f;
  private Path src;

  @BeforeEach
  void start() throws Exception {
    f = sup.start();
    src = Files.createDirectories(sup.dir().resolve("src"));
  }

  static void qemuImg(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("qemu-img"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
  }

  @Test
  void importedImageIsListedDescribedAndDeleted() throws Exception {
    Path raw = src.resolve("base.raw");
    qemuImg("create", "-q", "-f", "raw", raw.toString(), "4M");
    JsonObject rec = f.request(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "base").put("path",
        raw.toString()).put("format", "raw"));
    assertThat(rec.getString("format")).isEqualTo("raw");
    assertThat(rec.getLong("virtualSize")).isEqualTo(4L << 20);
    assertThat(Path.of(rec.getString("file"))).isEqualTo(sup.dir().resolve("images/base/disk"));
    assertThat(f.request(Addresses.IMAGE_LIST, new JsonObject()).getJsonArray("images")).hasSize(1);
    JsonObject got = f.request(Addresses.IMAGE_GET, new JsonObject().put("name", "base"));
    assertThat(got.getJsonObject("info").getLong("virtual-size")).isEqualTo(4L << 20);
    assertThat(got.getJsonArray("usedBy")).isEmpty();

    assertThat(f.failure(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "base").put("path", raw.toString()))
        .failureCode()).isEqualTo(409);
    f.request(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base"));
    assertThat(f.failure(Addresses.IMAGE_GET, new JsonObject().put("name", "base")).failureCode()).isEqualTo(404);
    assertThat(f.failure(Addresses.IMAGE_DELETE, new JsonObject().put("name", "base")).failureCode()).isEqualTo(404);
    assertThat(storeEntries()).isEmpty();
  }

  @Test
  void aLargeImportReportsProgressInOrder() throws Exception {
    Path big = src.resolve("big.raw");
    byte[] block = new byte[1 << 20];
    java.util.Arrays.fill(block, (byte) 0x5a);
    try (var out = Files.newOutputStream(big)) {
      for (int i = 0; i < 48; i++) {
        out.write(block);
      }
    }
    f.request(Addresses.IMAGE_IMPORT, new JsonObject().put("name", "big").put("path", big.toString())
        .put("format", "raw"));
    List<Double> seen = new ArrayList<>();
    JsonObject e;
    do {
      e = f.awaitEvent(x -> "image-progress".equals(x.getString("type")) && "big".equals(x.getString("image")),
          java.time.Duration.ofSeconds(10));
      seen.add(e.getDouble("percent"));
    } while (e.getDouble("percent") < 100);
    assertThat(seen).hasSizeGreaterThanOrEqualTo(3).isSorted().endsWith(100.0);
  }

  @Test
  void hostileImportsAreRefusedAndLeaveNothing() throws Exception {
    Path secret = src.resolve("secret");
    Files.writeString(secret, "host secret");
    Path evil = src.resolve("evil.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", "-F", "raw", "-b", "/etc/passwd", evil.toString(), "1M");
    assertInvalid(body("a", evil), "path", "backing file");
    assertInvalid(body("a", evil).put("flatten", true), "path", "may not be read");
    Path inRoots = src.resolve("chain.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", "-F", "raw", "-b", secret.toString(), inRoots.toString(), "1M");
    Path json = src.resolve("json.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", "-u", "-F", "raw", "-b",
        "json:{\"driver\":\"raw\",\"file\":{\"driver\":\"file\",\"filename\":\"" + secret + "\"}}", json.toString(), "1M");
    assertInvalid(body("a", json).put("flatten", true), "path", "protocol or JSON");
    Path data = src.resolve("data.qcow2");
    qemuImg("create", "-q", "-f", "qcow2", "-o", "data_file=" + src.resolve("data.raw"), data.toString(), "1M");
    assertInvalid(body("a", data), "path", "external data file");
    assertInvalid(body("a", Path.of("/etc/passwd")), "path", "outside");
    assertInvalid(body("a", sup.dir().resolve("token")), "path", "");
    assertInvalid(body("../x", secret), "name", "1-63 characters");
    assertInvalid(body("a", secret).put("format", "vmdk"), "format", "raw, qcow2");
    assertInvalid(body("a", src), "path", "not a regular file");
    assertThat(storeEntries()).isEmpty();

    // a chain inside the roots is flattened on request: the copy names no backing file
    JsonObject rec = f.request(Addresses.IMAGE_IMPORT, body("flat", inRoots).put("flatten", true));
    JsonObject info = f.request(Addresses.IMAGE_GET, new JsonObject().put("name", "flat")).getJsonObject("info");
    assertThat(rec.getString("format")).isEqualTo("qcow2");
    assertThat(info.containsKey("backing-filename")).isFalse();
    assertThat(storeEntries()).containsExactly("flat");
  }

  private JsonObject body(String name, Path path) {
    return new JsonObject().put("name", name).put("path", path.toString());
  }

  private void assertInvalid(JsonObject body, String path, String says) throws Exception {
    ReplyException e = f.failure(Addresses.IMAGE_IMPORT, body);
    assertThat(e.failureCode()).as(e.getMessage()).isEqualTo(400);
    JsonObject problem = new JsonObject(e.getMessage());
    assertThat(problem.getJsonArray("violations").getJsonObject(0).getString("path")).isEqualTo(path);
    assertThat(problem.getString("message")).contains(says);
  }

  private List<String> storeEntries() throws Exception {
    try (Stream<Path> s = Files.list(sup.dir().resolve("images"))) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
