package io.vmsup.supervisor.client;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** One {@code vmsup vm} command against a resolved daemon. */
final class Invocation {

  private final ApiClient client;
  private final PrintStream out;
  private final PrintStream err;

  Invocation(ApiClient client, PrintStream out, PrintStream err) {
    this.client = client;
    this.out = out;
    this.err = err;
  }

  int run(List<String> rest, String grace, String lines) throws IOException, InterruptedException {
    String command = rest.get(0);
    String name = VmCommand.arg(rest, 1);
    if (command.equals("list")) {
      return print(client.send("GET", "/v1/vms", null));
    }
    if (command.equals("events")) {
      String path = name == null ? "/v1/events" : "/v1/vms/" + VmCommand.encode(name) + "/events";
      ApiClient.Response failed = client.stream(path,
          () -> err.println("vmsup vm: following " + (name == null ? "all events" : "events of " + name)
              + " (Ctrl-C to stop)"),
          data -> {
            out.println(data);
            out.flush();
          });
      return failed == null ? 0 : print(failed);
    }
    if (name == null) {
      return usage(command + ": needs a NAME (or FILE)");
    }
    String vm = "/v1/vms/" + VmCommand.encode(name);
    switch (command) {
      case "get":
        return print(client.send("GET", vm, null));
      case "create":
        return print(client.send("POST", "/v1/vms", readSpec(name)));
      case "delete":
        return print(client.send("DELETE", vm, null));
      case "log":
        return print(client.send("GET", vm + "/log" + (lines == null ? "" : "?lines=" + VmCommand.encode(lines)),
            null));
      case "qmp":
        return qmp(vm, rest);
      default:
        break;
    }
    if (VmCommand.isAction(command)) {
      String query = command.equals("stop") && grace != null ? "?graceSeconds=" + VmCommand.encode(grace) : "";
      return print(client.send("POST", vm + "/" + command + query, null));
    }
    return usage("unknown command '" + command + "'");
  }

  private int qmp(String vm, List<String> rest) throws IOException, InterruptedException {
    String execute = VmCommand.arg(rest, 2);
    if (execute == null) {
      return usage("qmp: needs a COMMAND");
    }
    JsonObject body = new JsonObject().put("execute", execute);
    String arguments = VmCommand.arg(rest, 3);
    if (arguments != null) {
      try {
        body.put("arguments", new JsonObject(arguments));
      } catch (DecodeException e) {
        return usage("qmp: ARGUMENTS must be a JSON object: " + e.getMessage());
      }
    }
    return print(client.send("POST", vm + "/qmp", body.encode()));
  }

  private static String readSpec(String file) throws IOException {
    if (file.equals("-")) {
      return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    return Files.readString(Path.of(file));
  }

  private int print(ApiClient.Response response) {
    PrintStream target = response.ok() ? out : err;
    if (!response.body().isEmpty()) {
      target.println(pretty(response.body()));
    } else if (!response.ok()) {
      target.println("HTTP " + response.status());
    }
    return response.ok() ? 0 : 1;
  }

  private int usage(String message) {
    err.println("vmsup vm: " + message);
    err.print(VmCommand.usage());
    return 2;
  }

  private static String pretty(String body) {
    try {
      return Json.decodeValue(body) instanceof JsonObject json ? json.encodePrettily() : body;
    } catch (DecodeException e) {
      return body;
    }
  }
}
