package io.vmsup.supervisor.guest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The guest's serial console, read line by line on a background thread: over a unix socket (QEMU as server, or QEMU
 * connecting to a socket the test listens on) or by following a file written by {@code -serial file:} or a chardev's
 * {@code logfile=}.
 *
 * <p>Tests wait for lines with {@link #awaitLine}: each successful wait moves a cursor past the matched line, so
 * consecutive waits see the console in order. Over a socket, {@link #run} sends one command to the guest's command
 * loop and collects its framed output ({@code CMD-BEGIN <n>} … {@code CMD-END <n> rc=<rc>}).
 */
public final class SerialConsole implements AutoCloseable {

  private static final Pattern BEGIN = Pattern.compile("^CMD-BEGIN (\\d+)$");
  private static final int TAIL = 40;

  private final SocketChannel socket;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;
  private int cursor;
  private boolean ended;
  private String endReason = "";

  private SerialConsole(SocketChannel socket, ReadableByteChannel source, String name) {
    this.socket = socket;
    this.reader = new Thread(() -> pump(source), "serial-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /** Reads and writes an already connected socket (for example one accepted from QEMU's client-mode chardev). */
  public static SerialConsole over(SocketChannel socket) {
    return new SerialConsole(socket, socket, "socket");
  }

  /** Connects to QEMU's server-mode serial socket, which must exist already (it does once QMP answers). */
  public static SerialConsole connect(Path path) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(path));
    return over(channel);
  }

  /** Follows a console log file (read-only; {@link #run} is not available); the file may appear later. */
  public static SerialConsole follow(Path file) {
    return new SerialConsole(null, new FileFollower(file), "file");
  }

  /**
   * Waits for the next line (after the cursor) that contains a match of {@code pattern}, and moves the cursor past it.
   *
   * @throws AssertionError on timeout or when the console ended first, with the console's last lines
   */
  public Matcher awaitLine(Pattern pattern, Duration timeout) {
    return pollLine(pattern, timeout).orElseThrow(() -> new AssertionError(
        "no console line matching /" + pattern + "/ within " + timeout + endNote() + "; console tail:\n" + tail()));
  }

  /** {@link #awaitLine} for a line containing {@code text} literally. */
  public String awaitLine(String text, Duration timeout) {
    return awaitLine(Pattern.compile(Pattern.quote(text)), timeout).group();
  }

  /** Like {@link #awaitLine} but returns empty on timeout or end of the console (for "this must not appear"). */
  public Optional<Matcher> pollLine(Pattern pattern, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      int scanned = cursor;
      while (true) {
        for (; scanned < lines.size(); scanned++) {
          Matcher matcher = pattern.matcher(lines.get(scanned));
          if (matcher.find()) {
            cursor = scanned + 1;
            return Optional.of(matcher);
          }
        }
        long left = deadline - System.nanoTime();
        if (ended || left <= 0) {
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

  /**
   * Runs one shell command in the guest's serial command loop and returns its framed output. Commands run one at a
   * time; the guest must have printed {@code GUEST-READY}.
   *
   * @throws AssertionError on timeout, with the console's last lines
   */
  public synchronized CommandResult run(String command, Duration timeout) throws IOException {
    if (socket == null) {
      throw new IllegalStateException("a console followed from a file is read-only");
    }
    if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0 || command.isBlank()) {
      throw new IllegalArgumentException("one non-empty line expected: " + command);
    }
    lock.lock();
    try {
      cursor = lines.size();
    } finally {
      lock.unlock();
    }
    send(command);
    String sequence = awaitLine(BEGIN, timeout).group(1);
    int from = cursorPosition();
    Matcher end = awaitLine(Pattern.compile("^CMD-END " + sequence + " rc=(\\d+)$"), timeout);
    List<String> output = snapshot().subList(from, cursorPosition() - 1);
    return new CommandResult(Integer.parseInt(sequence), Integer.parseInt(end.group(1)), List.copyOf(output));
  }

  /**
   * Writes one line to the guest without waiting for anything: for commands after which the guest may not answer
   * (a {@code reboot} can cut off its own {@code CMD-END}).
   */
  public void send(String line) throws IOException {
    if (socket == null) {
      throw new IllegalStateException("a console followed from a file is read-only");
    }
    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
    synchronized (socket) {
      while (bytes.hasRemaining()) {
        socket.write(bytes);
      }
    }
  }

  /** Every line read so far. */
  public List<String> snapshot() {
    lock.lock();
    try {
      return List.copyOf(lines);
    } finally {
      lock.unlock();
    }
  }

  /** The last lines read, for failure messages. */
  public String tail() {
    List<String> all = snapshot();
    return String.join("\n", all.subList(Math.max(0, all.size() - TAIL), all.size()));
  }

  @Override
  public void close() throws IOException {
    reader.interrupt();
    if (socket != null) {
      socket.close();
    }
  }

  private int cursorPosition() {
    lock.lock();
    try {
      return cursor;
    } finally {
      lock.unlock();
    }
  }

  private String endNote() {
    lock.lock();
    try {
      return ended ? " (console ended: " + endReason + ")" : "";
    } finally {
      lock.unlock();
    }
  }

  private void pump(ReadableByteChannel source) {
    ByteBuffer buffer = ByteBuffer.allocate(8192);
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    String reason = "end of stream";
    try (source) {
      while (source.read(buffer.clear()) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          byte b = buffer.get();
          if (b == '\n') {
            add(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else if (b != '\r') {
            line.write(b);
          }
        }
      }
    } catch (IOException e) {
      reason = e.toString();
    }
    if (line.size() > 0) {
      add(line.toString(StandardCharsets.UTF_8));
    }
    lock.lock();
    try {
      ended = true;
      endReason = reason;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void add(String text) {
    lock.lock();
    try {
      lines.add(text);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
