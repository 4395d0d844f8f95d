package io.vmsup.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The supervisor's serial port: a file chardev (output only) or a socket chardev logging to the same file. */
class RuntimeArgsRenderTest {

  private static final HostFacts HOST = new HostFacts(false, false, false, false);

  private static List<String> tail(RuntimeArgs rt) {
    List<String> argv = QemuArgv.render(GoldenCases.valid("{\"name\": \"a\"}", "a"), new RenderContext(HOST, rt));
    return argv.subList(argv.indexOf("-pidfile"), argv.size());
  }

  @Test
  void serialSocketRendersASocketChardevThatLogsEverythingAndAppends() {
    RuntimeArgs rt = new RuntimeArgs(Path.of("/s/q,mp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/se,rial.log"),
        Path.of("/s/se,rial.sock"));
    assertThat(tail(rt)).containsExactly("-pidfile", "/s/qemu.pid",
        "-chardev", "socket,id=vmsup-serial,path=/s/se,,rial.sock,server=on,wait=off,logfile=/s/se,,rial.log,"
            + "logappend=on",
        "-serial", "chardev:vmsup-serial");
  }

  @Test
  void withoutASerialSocketTheSerialPortWritesAFile() {
    RuntimeArgs rt = new RuntimeArgs(Path.of("/s/qmp.sock"), Path.of("/s/qemu.pid"), Path.of("/s/serial.log"));
    assertThat(tail(rt)).containsExactly("-pidfile", "/s/qemu.pid",
        "-chardev", "file,id=vmsup-serial,path=/s/serial.log", "-serial", "chardev:vmsup-serial");
  }

  @Test
  void aSerialSocketWithoutALogIsRejected() {
    assertThatThrownBy(() -> new RuntimeArgs(null, null, null, Path.of("/s/serial.sock")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
