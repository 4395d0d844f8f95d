package io.vmsup.supervisor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.cli.RenderCommand;
import io.vmsup.supervisor.launch.ProcFs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What runs is what renders: for each example this host can start without files or network devices of its own,
 * {@code vmsup render} (launch form, same state directory and binary) equals, element by element, the
 * {@code /proc/<pid>/cmdline} of the QEMU the supervisor starts for it; {@code vmsup vm render} (the
 * {@link Addresses#RENDER} request) reports that same list, before the start as the launch form and after it as the
 * process's own command line.
 */
class RenderIsWhatRunsIT {

  /** Examples that need no host files, taps, KVM or VFIO. The others are rendered by the golden tests. */
  private static final List<String> STARTABLE = List.of("minimal", "memory-numa", "pci-topology");

  @RegisterExtension
  final SupervisorExtension supervisors = new SupervisorExtension();
  private Fixture f;
  private Path dir;

  @Test
  void renderOfEachStartableExampleIsTheCmdlineOfItsQemu() throws Exception {
    f = supervisors.start();
    dir = supervisors.dir();
    for (String example : STARTABLE) {
      String json = Files.readString(Path.of("..", "examples", example + ".json"));
      List<String> rendered = render(json);
      assertThat(rendered).as(example).startsWith(f.supervisor.options().qemuBinary()).contains("-sandbox");

      String name = new JsonObject(json).getString("name");
      f.request(Addresses.CREATE, new JsonObject(json));
      JsonObject before = f.request(Addresses.RENDER, Fixture.name(name));
      assertThat(before.getString("source")).isEqualTo("render");
      assertThat(before.getJsonArray("argv").getList()).as(example + " before start").isEqualTo(rendered);

      long pid = f.request(Addresses.START, Fixture.name(name)).getLong("pid");
      assertThat(ProcFs.cmdline(pid)).as(example + ": /proc/%d/cmdline", pid).containsExactlyElementsOf(rendered);
      JsonObject running = f.request(Addresses.RENDER, Fixture.name(name));
      assertThat(running.getString("source")).isEqualTo("process");
      assertThat(running.getLong("pid")).isEqualTo(pid);
      assertThat(running.getJsonArray("argv").getList()).isEqualTo(rendered);
      assertThat(running.getJsonArray("addedOverQmp").getList()).isEmpty();
      assertThat(running.getJsonArray("removedOverQmp").getList()).isEmpty();
      f.request(Addresses.KILL, Fixture.name(name));
    }
  }

  @Test
  void renderOfAnUnknownVmIsNotFound() throws Exception {
    f = supervisors.start();
    assertThat(f.failure(Addresses.RENDER, Fixture.name("nope")).failureCode()).isEqualTo(404);
  }

  private List<String> render(String json) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = RenderCommand.run(new String[] {"--state-dir", dir.toString(), "--qemu",
        f.supervisor.options().qemuBinary(), "-"}, new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readValue(out.toString(StandardCharsets.UTF_8), new TypeReference<List<String>>() { });
  }
}
