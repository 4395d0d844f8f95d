package io.vmsup.client.impl;

import static io.vmsup.client.impl.Fields.flag;
import static io.vmsup.client.impl.Fields.instant;
import static io.vmsup.client.impl.Fields.object;
import static io.vmsup.client.impl.Fields.objects;
import static io.vmsup.client.impl.Fields.optInstant;
import static io.vmsup.client.impl.Fields.optLong;
import static io.vmsup.client.impl.Fields.optObject;
import static io.vmsup.client.impl.Fields.optState;
import static io.vmsup.client.impl.Fields.optText;
import static io.vmsup.client.impl.Fields.state;
import static io.vmsup.client.impl.Fields.text;
import static io.vmsup.client.impl.Fields.texts;
import static io.vmsup.client.impl.Fields.whole;

import io.vertx.core.json.JsonObject;
import io.vmsup.client.Argv;
import io.vmsup.client.ConsoleLine;
import io.vmsup.client.ConsoleLines;
import io.vmsup.client.DeviceChange;
import io.vmsup.client.OtherEvent;
import io.vmsup.client.QmpEvent;
import io.vmsup.client.StateEvent;
import io.vmsup.client.StopResult;
import io.vmsup.client.StopStepEvent;
import io.vmsup.client.VmEvent;
import io.vmsup.client.VmView;
import java.util.List;

/** JSON bodies of the daemon's replies and events → the client's records; the one place the JSON is read. */
final class Decode {

  private Decode() {
  }

  static VmView view(JsonObject o) {
    Long exit = optLong(o, "exitCode");
    return new VmView(text(o, "name"), state(o, "state"), optText(o, "reason"), optInstant(o, "since"),
        optLong(o, "pid"), (int) (o.getValue("restarts") == null ? 0 : whole(o, "restarts")),
        optText(o, "qemuVersion"), optInstant(o, "startedAt"), exit == null ? null : exit.intValue(),
        flag(o, "tainted", false), flag(o, "persisted", true), optText(o, "host"),
        o.getValue("spec") == null ? new JsonObject() : object(o, "spec"), o);
  }

  static List<VmView> views(JsonObject o) {
    return objects(o, "vms").stream().map(Decode::view).toList();
  }

  static StopResult stopped(JsonObject o) {
    return new StopResult(view(o), texts(o, "steps"));
  }

  static DeviceChange device(JsonObject o) {
    return new DeviceChange(text(o, "name"), text(o, "id"), optText(o, "kind"), flag(o, "live", false),
        texts(o, "steps"), texts(o, "warnings"));
  }

  static Argv argv(JsonObject o) {
    return new Argv(text(o, "name"), optState(o, "state"), text(o, "source"), optLong(o, "pid"), texts(o, "argv"),
        texts(o, "addedOverQmp"), texts(o, "removedOverQmp"));
  }

  static ConsoleLines consoleLines(JsonObject o) {
    String vm = text(o, "vm");
    List<ConsoleLine> lines = objects(o, "lines").stream()
        .map(l -> new ConsoleLine(vm, text(l, "line"), whole(l, "offset"))).toList();
    return new ConsoleLines(vm, lines, whole(o, "next"), flag(o, "truncated", false));
  }

  static ConsoleLine consoleLine(JsonObject o) {
    return new ConsoleLine(text(o, "vm"), text(o, "line"), whole(o, "offset"));
  }

  static VmEvent event(JsonObject o) {
    String type = text(o, "type");
    String vm = text(o, "vm");
    String host = optText(o, "host");
    return switch (type) {
      case "state" -> new StateEvent(vm, host, optState(o, "from"), state(o, "to"), optText(o, "reason"),
          instant(o, "timestamp"), o);
      case "qmp" -> new QmpEvent(vm, host, text(o, "event"), optObject(o, "data"), instant(o, "timestamp"), o);
      case "stop-step" -> new StopStepEvent(vm, host, text(o, "step"), instant(o, "timestamp"), o);
      default -> new OtherEvent(type, vm, host, optInstant(o, "timestamp"), o);
    };
  }
}
