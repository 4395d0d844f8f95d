package io.vmsup.supervisor.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The daemon's JVM flags (memory, JIT) are one set: the launcher's ({@code ./vmsup run}), the systemd unit's and the
 * container image's start the daemon with the same flags in the same order, before {@code $VMSUP_JAVA_OPTS} (which
 * comes last so that it overrides them), and {@code docs/operations.md} names each of them.
 */
public class DaemonJvmFlagsTest {

  private static final Pattern ARRAY = Pattern.compile("(?m)^(HEAP_FLAGS|JIT_FLAGS)=\\(([^)]*)\\)");
  private static final Pattern TRIM = Pattern.compile("(?m)^TRIM_FLAG=(\\S+)");

  /** The flags {@code ./vmsup run} adds after the module flags: HEAP_FLAGS, JIT_FLAGS, then the trim flag. */
  private static List<String> launcherFlags() throws Exception {
    String script = Files.readString(HostTools.ROOT.resolve("vmsup"));
    List<String> flags = new ArrayList<>();
    Matcher m = ARRAY.matcher(script);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      flags.addAll(List.of(m.group(2).trim().split("\\s+")));
    }
    assertThat(names).as("./vmsup defines HEAP_FLAGS, then JIT_FLAGS").containsExactly("HEAP_FLAGS", "JIT_FLAGS");
    Matcher t = TRIM.matcher(script);
    assertThat(t.find()).as("./vmsup defines TRIM_FLAG").isTrue();
    flags.add(t.group(1));
    assertThat(script).contains("\"${HEAP_FLAGS[@]}\" \"${JIT_FLAGS[@]}\" \"${TRIM[@]}\" ${VMSUP_JAVA_OPTS:-} -jar");
    return flags;
  }

  @Test
  void theUnitAndTheImageStartTheDaemonWithTheLaunchersFlags() throws Exception {
    String expected = String.join(" ", launcherFlags()) + " $VMSUP_JAVA_OPTS";
    String unit = Files.readString(HostTools.ROOT.resolve("packaging/vmsup.service")).replace("\\\n", " ");
    String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow()
        .replaceAll("\\s+", " ");
    assertThat(execStart).as("packaging/vmsup.service ExecStart").contains(expected);
    String image = Files.readString(HostTools.ROOT.resolve("Dockerfile"));
    String entry = image.lines().filter(l -> l.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
    assertThat(entry).as("Dockerfile ENTRYPOINT").contains(expected);
  }

  @Test
  void theOperationsGuideNamesEachFlag() throws Exception {
    String guide = Files.readString(HostTools.ROOT.resolve("docs/operations.md")).replaceAll("\\s+", " ");
    for (String flag : launcherFlags()) {
      assertThat(guide).as("docs/operations.md names %s", flag).contains(flag);
    }
  }
}
