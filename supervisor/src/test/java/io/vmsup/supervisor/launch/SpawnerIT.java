package io.vmsup.supervisor.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.Fixture;
import io.vmsup.supervisor.SupervisorExtension;
import io.vmsup.supervisor.api.Addresses;
import io.vmsup.supervisor.sim.QmpSim;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The spawner: no JVM thread per child, true exit codes, and what happens when it is killed. */
class SpawnerIT {

  @RegisterExtension
  final SupervisorExtension sup = new SupervisorExtension();

  private Spawner.Child spawn(String script, Map<String, String> env) throws Exception {
    return Spawner.shared().spawn(List.of("/bin/sh", "-c", script, "sh"), sup.dir(), sup.dir().resolve("log"), env);
  }

  @Test
  void fiftyRunningChildrenCostNoJvmThreadEach() throws Exception {
    spawn("exit 0", Map.of()).exit().get(30, TimeUnit.SECONDS); // the spawner itself is started
    long before = reaperThreads();
    List<Spawner.Child> children = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      children.add(spawn("exec sleep 120 # " + sup.dir(), Map.of()));
    }
    assertThat(children).allSatisfy(c -> assertThat(ProcessHandle.of(c.pid()).map(ProcessHandle::isAlive))
        .contains(true));
    assertThat(reaperThreads()).as("JDK process reaper threads").isLessThanOrEqualTo(before);
    for (Spawner.Child c : children) {
      ProcessHandle.of(c.pid()).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (Spawner.Child c : children) {
      assertThat(c.exit().get(30, TimeUnit.SECONDS)).isEqualTo(137);
    }
  }

  @Test
  void exitCodesSignalsEnvironmentDirectoryAndSessionAreTheChildsOwn() throws Exception {
    assertThat(spawn("exit 3", Map.of()).exit().get(30, TimeUnit.SECONDS)).isEqualTo(3);
    assertThat(spawn("kill -TERM $$", Map.of()).exit().get(30, TimeUnit.SECONDS)).isEqualTo(143);
    Spawner.Child c = spawn("printf '%s|%s|%s\\n' \"$(pwd)\" \"$X\" \"$(cut -d' ' -f6 /proc/$$/stat)\"; cat",
        Map.of("X", "a b\nc,d"));
    assertThat(c.exit().get(30, TimeUnit.SECONDS)).as("stdin is /dev/null: cat ends at once").isZero();
    assertThat(Files.readString(sup.dir().resolve("log")))
        .contains(sup.dir() + "|a b\nc,d|" + c.pid() + "\n");
  }

  @Test
  void aProgramThatCannotBeExecutedExits127AndSaysWhyInTheLog() throws Exception {
    Path missing = sup.dir().resolve("no-such-program");
    Spawner.Child c = Spawner.shared().spawn(List.of(missing.toString()), sup.dir(), sup.dir().resolve("log"),
        Map.of());
    assertThat(c.exit().get(30, TimeUnit.SECONDS)).isEqualTo(127);
    assertThat(Files.readString(sup.dir().resolve("log"))).contains("cannot execute " + missing);
  }

  @Test
  void hostileArgumentsArePassedVerbatimAndANulIsRefused() throws Exception {
    String odd = "--x=\"$(touch " + sup.dir().resolve("pwned") + ")\"\n\t;`id`,,";
    Spawner.Child c = Spawner.shared().spawn(List.of("/usr/bin/printf", "%s", odd), sup.dir(),
        sup.dir().resolve("log"), Map.of());
    assertThat(c.exit().get(30, TimeUnit.SECONDS)).isZero();
    assertThat(Files.readString(sup.dir().resolve("log"))).isEqualTo(odd);
    assertThat(sup.dir().resolve("pwned")).doesNotExist();
    assertThatThrownBy(() -> Spawner.shared().spawn(List.of("/bin/echo", "a\0b"), sup.dir(),
        sup.dir().resolve("log"), Map.of())).hasMessageContaining("NUL");
  }

  @Test
  void aKilledSpawnerLeavesItsChildrenRunningAndTheVmSupervisedByEvidence() throws Exception {
    Fixture f = sup.start(Fixture.options(sup.dir()).withQemuBinary(QmpSim.binary().toString()));
    f.request(Addresses.CREATE, Fixture.spec("k", new JsonObject().put("restart", "never")));
    long pid = f.request(Addresses.START, Fixture.name("k")).getLong("pid");
    long spawner = ProcessHandle.of(pid).flatMap(ProcessHandle::parent).orElseThrow().pid();
    Spawner.Child sibling = spawn("exec sleep 120 # " + sup.dir(), Map.of());

    ProcessHandle.of(spawner).orElseThrow().destroyForcibly();
    ExecutionException lost = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
        () -> sibling.exit().get(30, TimeUnit.SECONDS));
    assertThat(lost.getCause()).isInstanceOf(Spawner.Lost.class);
    assertThat(ProcessHandle.of(sibling.pid()).map(ProcessHandle::isAlive)).contains(true);
    assertThat(f.request(Addresses.GET, Fixture.name("k")).getString("state")).isEqualTo("RUNNING");

    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    assertThat(f.awaitState("k", "CRASHED", Duration.ofSeconds(60)).getString("reason"))
        .isEqualTo("unexpected-exit");
    assertThat(f.request(Addresses.START, Fixture.name("k")).getLong("pid")).as("a new spawner starts it")
        .isNotEqualTo(pid);
    ProcessHandle.of(sibling.pid()).ifPresent(ProcessHandle::destroyForcibly);
  }

  private static long reaperThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("process reaper")).count();
  }
}
