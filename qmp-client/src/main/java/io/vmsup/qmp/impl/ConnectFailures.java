package io.vmsup.qmp.impl;

import io.netty.channel.ConnectTimeoutException;
import io.vmsup.qmp.QmpConnectException;
import io.vmsup.qmp.QmpConnectException.Kind;
import java.io.FileNotFoundException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** Maps a socket-connect failure to a {@link QmpConnectException} of the right kind. */
final class ConnectFailures {

  private ConnectFailures() {
  }

  static QmpConnectException classify(Throwable failure, Path path, Duration timeout) {
    String message = String.valueOf(failure.getMessage());
    // a unix-socket connect never waits: a full listen backlog fails at once with EAGAIN, the moral equivalent
    // of a TCP connect timing out (the listener does not accept), and as transient
    if (message.contains("error(-11)") || message.contains("Resource temporarily unavailable")) {
      return new QmpConnectException(Kind.TIMEOUT,
          "the listen backlog of " + path + " is full (nobody accepts connections)", failure);
    }
    if (failure instanceof ConnectTimeoutException || message.contains("timed out")) {
      return new QmpConnectException(Kind.TIMEOUT,
          "no connection to " + path + " within " + timeout.toMillis() + " ms", failure);
    }
    // epoll reports ENOENT as a FileNotFoundException without message; NIO as NoSuchFileException
    if (failure instanceof FileNotFoundException || failure instanceof NoSuchFileException
        || message.contains("No such file")) {
      return new QmpConnectException(Kind.NO_SOCKET, "no socket at " + path, failure);
    }
    if (message.contains("refused")) {
      return new QmpConnectException(Kind.REFUSED, "nobody listens on " + path, failure);
    }
    return new QmpConnectException(Kind.REFUSED, "cannot connect to " + path + ": " + message, failure);
  }
}
