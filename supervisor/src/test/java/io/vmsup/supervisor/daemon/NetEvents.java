package io.vmsup.supervisor.daemon;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Server-Sent Events of a daemon inside a network namespace ({@code curl -N} run there by {@link FleetNet}): every
 * {@code data:} line's JSON, in arrival order, read on a thread of its own. Ended by {@link #close}.
 */
final class NetEvents implements AutoCloseable {

  private final Process curl;
  private final List<JsonObject> events = new ArrayList<>();
  private volatile boolean subscribed;

  NetEvents(List<String> command) throws IOException {
    curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    curl.getOutputStream().close();
    Thread t = new Thread(this::read, "net-events-" + curl.pid());
    t.setDaemon(true);
    t.start();
  }

  private void read() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(curl.getInputStream(),
        StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.startsWith(": subscribed")) {
          subscribed = true;
        } else if (line.startsWith("data: ")) {
          synchronized (events) {
            events.add(new JsonObject(line.substring(6)));
          }
        }
      }
    } catch (IOException e) {
      // the stream ended (closed by the test, or the daemon went away): what was read stays
    }
  }

  boolean subscribed() {
    return subscribed;
  }

  /** The events so far. */
  List<JsonObject> seen() {
    synchronized (events) {
      return List.copyOf(events);
    }
  }

  boolean any(Predicate<JsonObject> match) {
    return seen().stream().anyMatch(match);
  }

  @Override
  public void close() {
    curl.destroyForcibly();
  }
}
