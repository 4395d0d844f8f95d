package io.vmsup.supervisor.daemon;

import java.io.PrintStream;
import java.time.Instant;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Routes java.util.logging (which {@link System.Logger} and Vert.x use by default) to stdout, one line per record:
 * {@code 2026-01-01T10:00:00.123Z INFO  [source] message}. A warning or error that carries an exception is followed
 * by its stack, one {@code "    at ..."} line per frame (at most {@link #FRAMES}): Vert.x's blocked-thread warning
 * carries the blocked event loop's stack there, the one thing that tells what blocked it.
 */
final class LogSetup {

  /** The most stack frames printed for one record. */
  static final int FRAMES = 40;

  private LogSetup() {
  }

  static void toStdout(PrintStream out) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    root.addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        if (!isLoggable(record)) {
          return;
        }
        out.println(format(record));
      }

      @Override
      public void flush() {
        out.flush();
      }

      @Override
      public void close() {
        out.flush();
      }
    });
    root.setLevel(Level.INFO);
  }

  /** One record as it is printed (without the line end). */
  static String format(LogRecord record) {
    String message = record.getMessage();
    Object[] params = record.getParameters();
    if (params != null && params.length > 0 && message != null) {
      message = java.text.MessageFormat.format(message, params);
    }
    String source = record.getLoggerName() == null ? "" : shortName(record.getLoggerName());
    StringBuilder line = new StringBuilder()
        .append(Instant.ofEpochMilli(record.getMillis())).append(' ')
        .append(String.format("%-5s", level(record.getLevel()))).append(" [").append(source).append("] ")
        .append(message == null ? "" : message.replace('\n', ' '));
    if (record.getThrown() != null) {
      line.append(" (").append(record.getThrown()).append(')');
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        appendStack(line, record.getThrown());
      }
    }
    return line.toString();
  }

  static void appendStack(StringBuilder line, Throwable thrown) {
    StackTraceElement[] frames = thrown.getStackTrace();
    for (int i = 0; i < Math.min(frames.length, FRAMES); i++) {
      line.append('\n').append("    at ").append(frames[i]);
    }
    if (frames.length > FRAMES) {
      line.append('\n').append("    ... ").append(frames.length - FRAMES).append(" more");
    }
  }

  private static String level(Level level) {
    if (level.intValue() >= Level.SEVERE.intValue()) {
      return "ERROR";
    }
    if (level.intValue() >= Level.WARNING.intValue()) {
      return "WARN";
    }
    return level.intValue() >= Level.INFO.intValue() ? "INFO" : "DEBUG";
  }

  private static String shortName(String name) {
    return name.substring(name.lastIndexOf('.') + 1);
  }
}
