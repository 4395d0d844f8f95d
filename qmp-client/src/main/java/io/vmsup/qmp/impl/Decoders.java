package io.vmsup.qmp.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.AddFdInfo;
import io.vmsup.qmp.BlockNode;
import io.vmsup.qmp.BlockStats;
import io.vmsup.qmp.CpuInfo;
import io.vmsup.qmp.FdsetInfo;
import io.vmsup.qmp.HotpluggableCpu;
import io.vmsup.qmp.JobInfo;
import io.vmsup.qmp.MemoryDeviceInfo;
import io.vmsup.qmp.MigrationInfo;
import io.vmsup.qmp.MigrationStatus;
import io.vmsup.qmp.QemuVersion;
import io.vmsup.qmp.RunState;
import io.vmsup.qmp.StatusInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Decoders of {@code return} values into records. Missing members get defaults; nothing throws on new values. */
public final class Decoders {

  private Decoders() {
  }

  public static JsonObject object(Object ret) {
    if (ret instanceof JsonObject o) {
      return o;
    }
    throw new IllegalArgumentException("expected an object, got " + ret);
  }

  public static JsonArray array(Object ret) {
    if (ret instanceof JsonArray a) {
      return a;
    }
    throw new IllegalArgumentException("expected an array, got " + ret);
  }

  public static <T> List<T> list(Object ret, Function<JsonObject, T> element) {
    List<T> out = new ArrayList<>();
    for (Object o : array(ret)) {
      out.add(element.apply(object(o)));
    }
    return List.copyOf(out);
  }

  public static StatusInfo status(Object ret) {
    JsonObject o = object(ret);
    String raw = o.getString("status", "");
    return new StatusInfo(RunState.fromWire(raw), raw, o.getBoolean("running", false));
  }

  public static QemuVersion version(Object ret) {
    JsonObject o = object(ret);
    JsonObject q = o.getJsonObject("qemu", new JsonObject());
    return new QemuVersion(q.getInteger("major", 0), q.getInteger("minor", 0), q.getInteger("micro", 0),
        o.getString("package", ""));
  }

  public static List<String> commandNames(Object ret) {
    return list(ret, o -> o.getString("name"));
  }

  public static CpuInfo cpu(JsonObject o) {
    return new CpuInfo(o.getInteger("cpu-index", -1), o.getString("qom-path"), o.getLong("thread-id", -1L),
        o.getString("target", ""), o.getJsonObject("props", new JsonObject()));
  }

  public static HotpluggableCpu hotpluggableCpu(JsonObject o) {
    return new HotpluggableCpu(o.getString("type"), o.getInteger("vcpus-count", 1),
        o.getJsonObject("props", new JsonObject()), o.getString("qom-path"));
  }

  public static MemoryDeviceInfo memoryDevice(JsonObject o) {
    JsonObject d = o.getJsonObject("data", new JsonObject());
    return new MemoryDeviceInfo(o.getString("type", ""), d.getString("id"), d.getLong("addr", -1L),
        d.getLong("size", -1L), d.getInteger("slot", -1), d.getInteger("node", -1), d.getString("memdev"),
        d.getBoolean("hotplugged", false), d.getBoolean("hotpluggable", false), d);
  }

  public static BlockStats blockStats(JsonObject o) {
    JsonObject s = o.getJsonObject("stats", new JsonObject());
    return new BlockStats(o.getString("device"), o.getString("node-name"), o.getString("qdev"),
        s.getLong("rd_bytes", 0L), s.getLong("wr_bytes", 0L), s.getLong("rd_operations", 0L),
        s.getLong("wr_operations", 0L), s.getLong("flush_operations", 0L), s);
  }

  public static BlockNode blockNode(JsonObject o) {
    JsonObject image = o.getJsonObject("image");
    JsonObject sizes = image == null ? new JsonObject() : image;
    return new BlockNode(o.getString("node-name", ""), o.getString("drv"), o.getString("file"), image != null,
        sizes.getLong("actual-size", 0L), sizes.getLong("virtual-size", 0L));
  }

  public static JobInfo job(JsonObject o) {
    return new JobInfo(o.getString("id"), o.getString("type"), o.getString("status", ""),
        o.getLong("current-progress", 0L), o.getLong("total-progress", 0L), o.getString("error"));
  }

  public static MigrationInfo migration(Object ret) {
    JsonObject o = object(ret);
    String raw = o.getString("status", "none");
    JsonObject ram = o.getJsonObject("ram", new JsonObject());
    return new MigrationInfo(MigrationStatus.fromWire(raw), raw, o.getLong("total-time", -1L),
        ram.getLong("transferred", -1L), ram.getLong("total", -1L), o.getString("error-desc"), o);
  }

  public static AddFdInfo addFd(Object ret) {
    JsonObject o = object(ret);
    return new AddFdInfo(o.getInteger("fdset-id", -1), o.getInteger("fd", -1));
  }

  public static FdsetInfo fdset(JsonObject o) {
    List<Integer> fds = new ArrayList<>();
    for (Object f : o.getJsonArray("fds", new JsonArray())) {
      fds.add(object(f).getInteger("fd", -1));
    }
    return new FdsetInfo(o.getInteger("fdset-id", -1), fds);
  }
}
