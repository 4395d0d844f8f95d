package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.function.Function;

/**
 * A typed QMP command: its name, its arguments and how to decode its {@code return} value. Commands are plain
 * data; only the connection knows the wire envelope and the id. Build them with {@link QmpCommands} (and the
 * topic classes beside it) or with {@link #of}.
 *
 * @param name the QMP command name, for example {@code query-status}
 * @param arguments the {@code arguments} member, or {@code null} for none
 * @param decoder turns the {@code return} value (a {@link JsonObject}, {@link io.vertx.core.json.JsonArray},
 *     string, number, boolean or {@code null}) into the result; an exception it throws fails the command with
 *     {@link QmpProtocolException}
 * @param oob send as {@code exec-oob} (only for commands whose schema says {@code allow-oob}, and only when the
 *     server offered the {@code oob} capability)
 * @param <T> the result type
 */
public record QmpCommand<T>(String name, JsonObject arguments, Function<Object, T> decoder, boolean oob) {

  public QmpCommand {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(decoder, "decoder");
  }

  /** A command whose result {@code decoder} builds. */
  public static <T> QmpCommand<T> of(String name, JsonObject arguments, Function<Object, T> decoder) {
    return new QmpCommand<>(name, arguments, decoder, false);
  }

  /** A command whose result is ignored (the server returns {@code {}}). */
  public static QmpCommand<Void> noResult(String name, JsonObject arguments) {
    return new QmpCommand<>(name, arguments, ret -> null, false);
  }

  /** A command whose result is the raw {@code return} value. */
  public static QmpCommand<Object> raw(String name, JsonObject arguments) {
    return new QmpCommand<>(name, arguments, Function.identity(), false);
  }

  /** The same command, sent as {@code exec-oob}. */
  public QmpCommand<T> asOob() {
    return new QmpCommand<>(name, arguments, decoder, true);
  }
}
