package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.deploy.HostTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code vmsup image import|list|get|delete} (a JVM per call) against a daemon: HTTP {@code /v1/images} end to end. */
class ImageCliIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private HostTools.Run image(Path work, String... args) throws Exception {
    return cli(work, "image", args);
  }

  private HostTools.Run cli(Path work, String top, String... args) throws Exception {
    List<String> a = new ArrayList<>(List.of(top));
    a.addAll(List.of(args));
    a.addAll(List.of("--state-dir", daemons.state().toString()));
    List<String> command = new ArrayList<>(DaemonProcess.javaCommand(a.toArray(new String[0])));
    command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    return HostTools.run(work, command);
  }

  @Test
  void importListGetDeleteThroughTheCli() throws Exception {
    daemons.start();
    Path work = daemons.dir("work");
    Path src = Files.createDirectories(daemons.state().resolve("src"));
    Path raw = src.resolve("base.raw");
    HostTools.run(work, List.of("qemu-img", "create", "-q", "-f", "raw", raw.toString(), "2M"));

    HostTools.Run imported = image(work, "import", "base", raw.toString(), "--format", "raw");
    assertThat(imported.exit()).as(imported.output()).isZero();
    assertThat(imported.output()).contains("\"virtualSize\" : 2097152");
    HostTools.Run list = image(work, "list");
    assertThat(list.exit()).isZero();
    assertThat(list.output()).contains("\"name\" : \"base\"");
    HostTools.Run got = image(work, "get", "base");
    assertThat(new JsonObject(got.output().substring(got.output().indexOf('{')))
        .getJsonObject("info").getString("format")).isEqualTo("raw");

    HostTools.Run outside = image(work, "import", "x", "/etc/passwd");
    assertThat(outside.exit()).isEqualTo(1);
    assertThat(outside.output()).contains("400").contains("path");

    String readToken = Files.readString(daemons.state().resolve("token.read")).trim();
    HostTools.Run reader = image(work, "delete", "base", "--token", readToken);
    assertThat(reader.exit()).isEqualTo(1);
    assertThat(reader.output()).contains("403");

    HostTools.Run deleted = image(work, "delete", "base");
    assertThat(deleted.exit()).as(deleted.output()).isZero();
    HostTools.Run gone = image(work, "get", "base");
    assertThat(gone.exit()).isEqualTo(1);
    assertThat(gone.output()).contains("404");
  }

  @Test
  void snapshotsAndResizeThroughTheCli() throws Exception {
    daemons.start();
    Path work = daemons.dir("work");
    Path spec = work.resolve("v.json");
    Files.writeString(spec, "{\"name\": \"v\", \"machine\": {\"type\": \"q35\"}, \"devices\": [{\"kind\": \"disk\","
        + " \"id\": \"d0\", \"size\": \"8M\"}]}");
    assertThat(cli(work, "vm", "create", spec.toString()).exit()).isZero();
    HostTools.Run taken = cli(work, "vm", "snapshot", "create", "v", "s1");
    assertThat(taken.exit()).as(taken.output()).isZero();
    assertThat(taken.output()).contains("\"memory\" : false");
    HostTools.Run list = cli(work, "vm", "snapshot", "list", "v");
    assertThat(list.output()).contains("\"name\" : \"s1\"");
    HostTools.Run grown = cli(work, "vm", "resize", "v", "d0", "16M");
    assertThat(grown.exit()).as(grown.output()).isZero();
    assertThat(grown.output()).contains("\"size\" : 16777216");
    HostTools.Run shrink = cli(work, "vm", "resize", "v", "d0", "1M");
    assertThat(shrink.exit()).isEqualTo(1);
    assertThat(shrink.output()).contains("shrinking is refused");
    HostTools.Run missing = cli(work, "vm", "snapshot", "revert", "v");
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(cli(work, "vm", "snapshot", "delete", "v", "s1").exit()).isZero();
  }
}
