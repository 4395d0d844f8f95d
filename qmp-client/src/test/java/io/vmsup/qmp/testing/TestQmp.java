package io.vmsup.qmp.testing;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one blocking test QMP client, shared by every module's tests through qmp-client's test-jar: deliberately
 * small and independent of the product's client (which is tested on its own), for tests that drive QEMU directly.
 * One reader thread parses CRLF-terminated JSON objects; replies are matched by id; events are kept in arrival order
 * until a test takes them with {@link #awaitEvent} or {@link #pollEvent}.
 */
public final class TestQmp implements AutoCloseable {

  private final SocketChannel socket;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Map<Long, JsonObject> replies = new HashMap<>();
  private final List<JsonObject> events = new ArrayList<>();
  private final List<String> seen = new ArrayList<>();
  private JsonObject greeting;
  private boolean closed;
  private long nextId = 1;

  private TestQmp(SocketChannel socket) {
    this.socket = socket;
    Thread reader = new Thread(this::pump, "test-qmp");
    reader.setDaemon(true);
    reader.start();
  }

  /** Reads the greeting on a connected monitor socket and negotiates capabilities. */
  public static TestQmp negotiate(SocketChannel socket, Duration timeout) throws IOException {
    TestQmp qmp = new TestQmp(socket);
    qmp.await(() -> qmp.greeting != null, timeout, "QMP greeting");
    qmp.execute("qmp_capabilities", new JsonObject(), timeout);
    return qmp;
  }

  /** Connects to a QMP server socket (QEMU's {@code server=on}), reads the greeting and negotiates. */
  public static TestQmp connect(Path socket, Duration timeout) throws IOException {
    return negotiate(SocketChannel.open(UnixDomainSocketAddress.of(socket)), timeout);
  }

  /** The greeting QEMU sent first. */
  public JsonObject greeting() {
    lock.lock();
    try {
      return greeting;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs a command and returns its {@code return} value as it came: a {@code JsonObject}, a {@code JsonArray} (for
   * {@code query-*} lists) or a scalar.
   *
   * @throws AssertionError on a QMP error, a timeout or a closed connection
   */
  public Object executeValue(String command, JsonObject arguments, Duration timeout) throws IOException {
    return executeRaw(command, arguments, timeout).getValue("return");
  }

  /**
   * Runs a command and returns its {@code return} value when that is an object; any other value (an array, for
   * {@code query-*} lists) comes wrapped as {@code {"return": value}}.
   *
   * @throws AssertionError on a QMP error, a timeout or a closed connection
   */
  public JsonObject execute(String command, JsonObject arguments, Duration timeout) throws IOException {
    Object value = executeValue(command, arguments, timeout);
    return value instanceof JsonObject object ? object : new JsonObject().put("return", value);
  }

  private JsonObject executeRaw(String command, JsonObject arguments, Duration timeout) throws IOException {
    long id;
    lock.lock();
    try {
      id = nextId++;
    } finally {
      lock.unlock();
    }
    JsonObject request = new JsonObject().put("execute", command).put("arguments", arguments).put("id", id);
    ByteBuffer bytes = ByteBuffer.wrap((request.encode() + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (socket) {
      while (bytes.hasRemaining()) {
        socket.write(bytes);
      }
    }
    await(() -> replies.containsKey(id), timeout, "reply to " + command);
    lock.lock();
    try {
      JsonObject reply = replies.remove(id);
      if (reply.containsKey("error")) {
        throw new AssertionError(command + " failed: " + reply.getJsonObject("error").encode());
      }
      return reply;
    } finally {
      lock.unlock();
    }
  }

  /** Takes the oldest unconsumed event named {@code name}, waiting up to {@code timeout}; fails if none comes. */
  public JsonObject awaitEvent(String name, Duration timeout) {
    return pollEvent(name, timeout).orElseThrow(
        () -> new AssertionError("no QMP event " + name + " within " + timeout + "; seen: " + seen()));
  }

  /** Like {@link #awaitEvent} but empty on timeout or close: for events that must not come. */
  public Optional<JsonObject> pollEvent(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        for (Iterator<JsonObject> it = events.iterator(); it.hasNext(); ) {
          JsonObject event = it.next();
          if (name.equals(event.getString("event"))) {
            it.remove();
            return Optional.of(event);
          }
        }
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          return Optional.empty();
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /** Names of every event received so far, in order (for failure messages). */
  public List<String> seen() {
    lock.lock();
    try {
      return List.copyOf(seen);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void await(java.util.function.BooleanSupplier done, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          throw new AssertionError("no " + what + (closed ? ": QMP connection closed" : " within " + timeout)
              + "; events seen: " + seen);
        }
        changed.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  private void pump() {
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    try {
      while (socket.read(buffer.clear()) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            dispatch(new JsonObject(line.toString(StandardCharsets.UTF_8)));
            line.reset();
          } else if (b != '\r') {
            line.write(b);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // end of the connection: QEMU exited or the test closed it
    }
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void dispatch(JsonObject message) {
    lock.lock();
    try {
      if (message.containsKey("QMP")) {
        greeting = message;
      } else if (message.containsKey("event")) {
        events.add(message);
        seen.add(message.getString("event"));
      } else if (message.getValue("id") instanceof Number id) {
        replies.put(id.longValue(), message);
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
