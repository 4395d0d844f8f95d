package io.vmsup.supervisor.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table of {@code vmsup hosts}: columns aligned, a lost host's unknown figures as {@code -}, no raw control text. */
class HostTableTest {

  @Test
  void upAndLostHostsInAlignedColumns() {
    JsonObject up = new JsonObject().put("host", "a").put("state", "up").put("cordoned", true).put("vms", 3)
        .put("cpus", 8).put("memoryTotalBytes", 16L << 30).put("memoryAvailableBytes", 12_345_678_901L)
        .put("memoryCommittedBytes", 0).put("qemuVersion", "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)")
        .put("kvm", false)
        .put("joinedAt", "2026-12-06T07:00:00Z").put("labels", new JsonObject().put("zone", "b").put("disk", "ssd"));
    JsonObject lost = new JsonObject().put("host", "bb").put("state", "lost").put("cordoned", false)
        .put("joinedAt", "2026-12-06T07:01:00Z").put("labels", new JsonObject());
    List<String> lines = HostTable.render(new JsonObject().put("hosts", new JsonArray().add(up).add(lost)))
        .lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).matches("HOST +STATE +CORDONED +VMS +CPUS +MEMORY +AVAILABLE +COMMITTED +QEMU +KVM"
        + " +JOINED +LABELS");
    assertThat(lines.get(1)).matches("a +up +yes +3 +8 +16\\.0G +11\\.5G +0B +7\\.2\\.22 +no +2026-12-06T07:00:00Z"
        + " +disk=ssd,zone=b");
    assertThat(lines.get(2)).matches("bb +lost +no( +-){7} +2026-12-06T07:01:00Z +-");
    assertThat(lines.get(2).indexOf("lost")).isEqualTo(lines.get(0).indexOf("STATE"));
    assertThat(lines.get(1).indexOf("16.0G")).isEqualTo(lines.get(0).indexOf("MEMORY"));
    assertThat(lines.get(2).indexOf("2026-12-06T07:01")).isEqualTo(lines.get(0).indexOf("JOINED"));
  }

  @Test
  void hostileTextFromADaemonIsNeutralised() {
    JsonObject evil = new JsonObject().put("host", "x\u001b[2J").put("state", "up")
        .put("labels", new JsonObject().put("k", "v\nw")).put("memoryTotalBytes", "lots");
    String table = HostTable.render(new JsonObject().put("hosts", new JsonArray().add(evil).add("not a host")));
    assertThat(table).doesNotContain("\u001b").hasLineCount(2).contains("x?[2J", "k=v?w", "lots");
  }

  @Test
  void bytesInBinaryUnits() {
    assertThat(HostTable.bytes(0)).isEqualTo("0B");
    assertThat(HostTable.bytes(1023)).isEqualTo("1023B");
    assertThat(HostTable.bytes(1536)).isEqualTo("1.5K");
    assertThat(HostTable.bytes(3L << 40)).isEqualTo("3.0T");
    assertThat(HostTable.bytes(null)).isEqualTo("-");
    assertThat(HostTable.bytes(-1)).isEqualTo("-1");
  }
}
