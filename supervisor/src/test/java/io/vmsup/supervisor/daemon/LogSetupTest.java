package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The daemon's log line: a warning with an exception shows where it was thrown (the blocked event loop's stack). */
class LogSetupTest {

  @Test
  void aWarningWithAnExceptionIsFollowedByItsStack() {
    LogRecord r = new LogRecord(Level.WARNING, "Thread vert.x-eventloop-thread-1 has been blocked for 5800 ms");
    r.setLoggerName("io.vertx.core.impl.BlockedThreadChecker");
    Exception blocked = new Exception("Thread blocked");
    blocked.setStackTrace(new StackTraceElement[] {
        new StackTraceElement("java.io.FileOutputStream", "writeBytes", "FileOutputStream.java", -2),
        new StackTraceElement("io.vmsup.X", "handle", "X.java", 42)});
    r.setThrown(blocked);
    String[] lines = LogSetup.format(r).split("\n");
    assertThat(lines[0]).contains("WARN  [BlockedThreadChecker] Thread vert.x-eventloop-thread-1 has been blocked")
        .endsWith("(java.lang.Exception: Thread blocked)");
    assertThat(lines).containsSubsequence("    at java.io.FileOutputStream.writeBytes(Native Method)",
        "    at io.vmsup.X.handle(X.java:42)").hasSize(3);
  }

  @Test
  void aLongStackIsCutAndSaysHowMuchIsLeft() {
    LogRecord r = new LogRecord(Level.SEVERE, "failed");
    Exception e = new Exception("deep");
    StackTraceElement[] frames = new StackTraceElement[LogSetup.FRAMES + 7];
    for (int i = 0; i < frames.length; i++) {
      frames[i] = new StackTraceElement("C", "m" + i, "C.java", i + 1);
    }
    e.setStackTrace(frames);
    r.setThrown(e);
    String[] lines = LogSetup.format(r).split("\n");
    assertThat(lines).hasSize(1 + LogSetup.FRAMES + 1);
    assertThat(lines[LogSetup.FRAMES]).isEqualTo("    at C.m" + (LogSetup.FRAMES - 1) + "(C.java:" + LogSetup.FRAMES + ")");
    assertThat(lines[LogSetup.FRAMES + 1]).isEqualTo("    ... 7 more");
  }

  @Test
  void anInfoWithAnExceptionStaysOneLine() {
    LogRecord r = new LogRecord(Level.INFO, "closed");
    r.setThrown(new java.io.IOException("reset"));
    assertThat(LogSetup.format(r)).doesNotContain("\n").endsWith("closed (java.io.IOException: reset)");
  }
}
