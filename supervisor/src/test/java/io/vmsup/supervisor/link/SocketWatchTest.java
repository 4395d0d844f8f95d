package io.vmsup.supervisor.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The QMP socket watch over real inotify and real unix sockets: a socket bound after the watch began is reported on the
 * caller's context, one that existed before at once, another file of the same directory is not, a directory that
 * cannot be watched never leaves a start waiting, and two starts in one directory keep their watch until both end.
 */
class SocketWatchTest {

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aSocketBoundAfterTheWatchBeganIsReportedOnTheCallersContext() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    Path sock = dir.resolve("qmp.sock");
    SocketWatch.Watched w = SocketWatch.shared().watch(sock, ctx);
    assertThat(w.watching()).isTrue();
    Files.writeString(dir.resolve("serial.log"), "another file of the directory");
    assertThat(w.created().isComplete()).as("another file's creation is not the socket").isFalse();
    CompletableFuture<Context> seenOn = new CompletableFuture<>();
    w.created().onComplete(x -> seenOn.complete(Vertx.currentContext()));
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      assertThat(seenOn.get(10, TimeUnit.SECONDS)).isSameAs(ctx);
    }
    w.cancel();
  }

  @Test
  void aSocketThatExistedBeforeIsReportedAtOnce() throws Exception {
    Path sock = dir.resolve("qmp.sock");
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(sock));
      SocketWatch.Watched w = SocketWatch.shared().watch(sock, vertx.getOrCreateContext());
      w.created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      w.cancel();
    }
  }

  @Test
  void aDirectoryThatCannotBeWatchedLeavesTheCallerPollingNotWaiting() throws Exception {
    SocketWatch.Watched w = SocketWatch.shared().watch(dir.resolve("gone/qmp.sock"), vertx.getOrCreateContext());
    assertThat(w.watching()).isFalse();
    w.created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    w.cancel();
  }

  @Test
  void twoStartsInOneDirectoryKeepTheWatchUntilBothEnd() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    SocketWatch.Watched a = SocketWatch.shared().watch(dir.resolve("a.sock"), ctx);
    SocketWatch.Watched b = SocketWatch.shared().watch(dir.resolve("b.sock"), ctx);
    a.cancel();
    a.cancel(); // twice: still counted once
    try (ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      s.bind(UnixDomainSocketAddress.of(dir.resolve("b.sock")));
      b.created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    b.cancel();
    SocketWatch.Watched c = SocketWatch.shared().watch(dir.resolve("c.sock"), ctx);
    assertThat(c.watching()).as("the directory can be watched again after both ended").isTrue();
    Files.writeString(dir.resolve("c.sock"), "x");
    c.created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    c.cancel();
  }

  @Test
  void theKernelHoldsTheWatchWhileAStartWaitsAndDropsItOnceNobodyHoldsIt() throws Exception {
    SocketWatch.Watched w = SocketWatch.shared().watch(dir.resolve("qmp.sock"), vertx.getOrCreateContext());
    assertThat(InotifyWatches.on(dir, InotifyWatches.DIR_WATCH)).isEqualTo(1);
    w.cancel();
    assertThat(DirWatch.shared().holders(dir)).isZero();
    DirWatchTest.awaitNoKernelWatch(dir);
  }

  @Test
  void manyWaitingStartsEachHearOnlyTheirOwnSocket() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    java.util.Map<Path, SocketWatch.Watched> first = new java.util.LinkedHashMap<>();
    java.util.Map<Path, SocketWatch.Watched> second = new java.util.LinkedHashMap<>();
    for (int d = 0; d < 10; d++) {
      Path sub = Files.createDirectory(dir.resolve("vm" + d));
      for (int s = 0; s < 10; s++) {
        Path sock = sub.resolve("s" + s + ".sock");
        first.put(sock, SocketWatch.shared().watch(sock, ctx));
        second.put(sock, SocketWatch.shared().watch(sock, ctx)); // two starts waiting for one file
      }
    }
    List<Path> socks = new java.util.ArrayList<>(first.keySet());
    java.util.Collections.shuffle(socks, new java.util.Random(7));
    for (int i = 0; i < socks.size(); i++) {
      Path sock = socks.get(i);
      if (i % 3 == 0) {
        first.get(sock).cancel(); // its sibling on the same file still hears the creation
      }
      Files.writeString(sock, "x");
      second.get(sock).created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      for (Path later : socks.subList(i + 1, socks.size())) {
        assertThat(first.get(later).created().isComplete() || second.get(later).created().isComplete())
            .as(later + " was not created yet").isFalse();
      }
    }
    first.values().forEach(SocketWatch.Watched::cancel);
    second.values().forEach(SocketWatch.Watched::cancel);
  }

  @Test
  void aWaiterWhoseVertxClosedDoesNotStopTheWatchForTheOthers() throws Exception {
    SocketWatch.Watched bystander = SocketWatch.shared().watch(dir.resolve("bystander.sock"), vertx.getOrCreateContext());
    Vertx other = Vertx.vertx();
    SocketWatch.Watched orphan = SocketWatch.shared().watch(dir.resolve("orphan.sock"), other.getOrCreateContext());
    other.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    Files.writeString(dir.resolve("orphan.sock"), "x"); // its event finds a closed context
    SocketWatch.Watched next = SocketWatch.shared().watch(dir.resolve("next.sock"), vertx.getOrCreateContext());
    assertThat(next.watching()).isTrue();
    Files.writeString(dir.resolve("next.sock"), "x");
    next.created().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    // a watch that stopped would have woken every waiter (to poll): the bystander's socket was never created
    assertThat(bystander.created().isComplete()).isFalse();
    bystander.cancel();
    orphan.cancel();
    next.cancel();
  }
}
