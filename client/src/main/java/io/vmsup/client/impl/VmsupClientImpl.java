package io.vmsup.client.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vmsup.client.Argv;
import io.vmsup.client.ClientOptions;
import io.vmsup.client.ConsoleLine;
import io.vmsup.client.ConsoleLines;
import io.vmsup.client.DeviceChange;
import io.vmsup.client.EventStream;
import io.vmsup.client.QmpReturn;
import io.vmsup.client.StopResult;
import io.vmsup.client.VmEvent;
import io.vmsup.client.VmView;
import io.vmsup.client.VmsupClient;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Each call: one request on the bus with the token header and the timeout, its reply decoded in {@link Decode}. */
public final class VmsupClientImpl implements VmsupClient {

  /** The header of {@code vmsup.vm.create} that starts the new VM too (the daemon's {@code CreateAndStart.HEADER}). */
  static final String START_HEADER = "start";

  private final Vertx vertx;
  private final ClientOptions options;
  private final String prefix;

  public VmsupClientImpl(Vertx vertx, ClientOptions options) {
    this.vertx = Objects.requireNonNull(vertx, "vertx");
    this.options = Objects.requireNonNull(options, "options");
    this.prefix = options.host() == null ? "vmsup.vm." : "vmsup.host." + options.host() + ".vm.";
  }

  @Override
  public ClientOptions options() {
    return options;
  }

  @Override
  public VmsupClient onHost(String hostId) {
    return new VmsupClientImpl(vertx, options.withHost(Objects.requireNonNull(hostId, "hostId")));
  }

  @Override
  public Future<VmView> create(JsonObject spec) {
    return request("create", Objects.requireNonNull(spec, "spec"), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<VmView> createAndStart(JsonObject spec) {
    return request("create", Objects.requireNonNull(spec, "spec"), Duration.ZERO, Decode::view, "true");
  }

  @Override
  public Future<VmView> get(String name) {
    return request("get", named(name), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<List<VmView>> list() {
    return request("list", new JsonObject(), Duration.ZERO, Decode::views);
  }

  @Override
  public Future<VmView> start(String name) {
    return request("start", named(name), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<StopResult> stop(String name) {
    return request("stop", named(name), Duration.ZERO, Decode::stopped);
  }

  @Override
  public Future<StopResult> stop(String name, Duration grace) {
    Objects.requireNonNull(grace, "grace");
    JsonObject body = named(name).put("graceSeconds", grace.toMillis() / 1000.0);
    return request("stop", body, grace, Decode::stopped);
  }

  @Override
  public Future<StopResult> kill(String name) {
    return request("kill", named(name), Duration.ZERO, Decode::stopped);
  }

  @Override
  public Future<VmView> pause(String name) {
    return request("pause", named(name), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<VmView> resume(String name) {
    return request("resume", named(name), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<VmView> reset(String name) {
    return request("reset", named(name), Duration.ZERO, Decode::view);
  }

  @Override
  public Future<Void> delete(String name) {
    return request("delete", named(name), Duration.ZERO, o -> null);
  }

  @Override
  public Future<QmpReturn> qmp(String name, String execute, JsonObject arguments) {
    JsonObject body = named(name).put("execute", Objects.requireNonNull(execute, "execute"));
    if (arguments != null) {
      body.put("arguments", arguments);
    }
    return request("qmp", body, Duration.ZERO, o -> new QmpReturn(o.getValue("return")));
  }

  @Override
  public Future<DeviceChange> attach(String name, JsonObject device) {
    return request("attach", named(name).put("device", Objects.requireNonNull(device, "device")), Duration.ZERO,
        Decode::device);
  }

  @Override
  public Future<DeviceChange> detach(String name, String id, Duration timeout) {
    JsonObject body = named(name).put("id", Objects.requireNonNull(id, "id"));
    if (timeout != null) {
      body.put("timeoutSeconds", timeout.toMillis() / 1000.0);
    }
    return request("detach", body, timeout == null ? Duration.ofSeconds(30) : timeout, Decode::device);
  }

  @Override
  public Future<Argv> render(String name) {
    return request("render", named(name), Duration.ZERO, Decode::argv);
  }

  @Override
  public Future<ConsoleLines> consoleRead(String name, int lines, Long after) {
    JsonObject body = named(name).put("lines", lines);
    if (after != null) {
      body.put("after", after);
    }
    return request("console.read", body, Duration.ZERO, Decode::consoleLines);
  }

  @Override
  public Future<Integer> consoleWrite(String name, String data) {
    JsonObject body = named(name).put("data", Objects.requireNonNull(data, "data"));
    return request("console.write", body, Duration.ZERO, o -> (int) Fields.whole(o, "bytes"));
  }

  @Override
  public EventStream<VmEvent> events() {
    return new DecodedStream<>(vertx.eventBus().consumer("vmsup.events"), Decode::event);
  }

  @Override
  public EventStream<VmEvent> events(String name) {
    return new DecodedStream<>(vertx.eventBus().consumer("vmsup.events." + checked(name)), Decode::event);
  }

  @Override
  public EventStream<ConsoleLine> console(String name) {
    return new DecodedStream<>(vertx.eventBus().consumer("vmsup.console." + checked(name)), Decode::consoleLine);
  }

  /** One request: {@code extra} is added to the timeout (a stop's grace, a detach's wait). */
  private <T> Future<T> request(String verb, JsonObject body, Duration extra, Function<JsonObject, T> decoder) {
    return request(verb, body, extra, decoder, null);
  }

  /** As above; {@code start} non-null: a create's {@code start} header (create and start in one request). */
  private <T> Future<T> request(String verb, JsonObject body, Duration extra, Function<JsonObject, T> decoder,
      String start) {
    String address = prefix + verb;
    DeliveryOptions delivery = new DeliveryOptions()
        .setSendTimeout(options.timeout().plus(extra.isNegative() ? Duration.ZERO : extra).toMillis());
    if (start != null) {
      delivery.addHeader(START_HEADER, start);
    }
    if (options.token() != null) {
      delivery.addHeader(ClientOptions.AUTHORIZATION, "Bearer " + options.token());
    }
    return vertx.eventBus().<Object>request(address, body, delivery)
        .transform(ar -> {
          if (ar.failed()) {
            return Future.failedFuture(Failures.of(address, ar.cause()));
          }
          try {
            return Future.succeededFuture(decoder.apply(bodyOf(ar.result())));
          } catch (RuntimeException e) {
            return Future.failedFuture(Failures.of(address, e));
          }
        });
  }

  private static JsonObject bodyOf(Message<Object> reply) {
    if (reply.body() instanceof JsonObject o) {
      return o;
    }
    throw new Fields.BadReply("the reply must be a JSON object, not " + reply.body());
  }

  private static JsonObject named(String name) {
    return new JsonObject().put("name", checked(name));
  }

  private static String checked(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name must not be empty");
    }
    return name;
  }
}
