package io.vmsup.qmp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.QmpClientImpl;
import io.vmsup.qmp.impl.QmpConnection;
import io.vmsup.qmp.testing.Await;
import io.vmsup.qmp.testing.FakeQmpServer;
import io.vmsup.qmp.testing.FakeQmpServer.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection's one deadline timer (instead of a timer per command): commands time out not before their own
 * timeout and in deadline order, a short timeout behind a long one is not held back, a late reply is dropped and
 * counted, and answered commands set almost no timers. A scripted server that never answers {@code hang*} commands
 * and answers a held {@code slow} command only when asked ({@code release}).
 */
class QmpDeadlineTest extends QmpFaultTestBase {

  private final List<JsonObject> held = new CopyOnWriteArrayList<>();

  private FakeQmpServer.Script script() {
    return new FakeQmpServer.Script() {
      @Override
      public void command(Session session, JsonObject command) {
        String name = command.getString("execute");
        if (name.startsWith("hang")) {
          return;
        }
        if (name.equals("slow")) {
          held.add(command);
          return;
        }
        if (name.equals("release")) {
          for (JsonObject h : held) {
            session.reply(h, "{\"late\": true}");
          }
          held.clear();
        }
        session.reply(command, "{}");
      }
    };
  }

  @Test
  void commandsWithDifferentTimeoutsExpireInDeadlineOrderAndNotBefore() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    List<Integer> timeouts = new ArrayList<>();
    for (int ms = 60; ms <= 250; ms += 10) {
      timeouts.add(ms);
    }
    Collections.shuffle(timeouts, new Random(15));
    List<Integer> failedInOrder = new CopyOnWriteArrayList<>();
    List<Long> earlyBy = new CopyOnWriteArrayList<>();
    List<Future<Object>> all = new ArrayList<>();
    // a command's deadline lies between the instants before and after its execute (registered inline, on the
    // connection's thread); under load two sends can lie more than the 10 ms between two timeouts apart (a preempted
    // event loop at a load of 19), so the order is checked against those bounds, not against the timeouts alone
    java.util.Map<Integer, long[]> sentBetween = new java.util.concurrent.ConcurrentHashMap<>();
    Await.result(client.execute("sync", null).map(x -> {
      for (int ms : timeouts) {
        long sent = System.nanoTime();
        Future<Object> f = client.execute("hang-" + ms, null, Duration.ofMillis(ms));
        sentBetween.put(ms, new long[] {sent, System.nanoTime()});
        all.add(f.onFailure(t -> {
          long waited = System.nanoTime() - sent;
          if (waited < TimeUnit.MILLISECONDS.toNanos(ms)) {
            earlyBy.add(TimeUnit.MILLISECONDS.toNanos(ms) - waited);
          }
          failedInOrder.add((int) ((QmpTimeoutException) t).timeout().toMillis());
        }));
      }
      return null;
    }));

    for (Future<Object> f : all) {
      assertThat(Await.failure(f)).isInstanceOf(QmpTimeoutException.class);
    }
    assertThat(failedInOrder).containsExactlyInAnyOrderElementsOf(timeouts);
    for (int i = 0; i < failedInOrder.size(); i++) {
      for (int j = i + 1; j < failedInOrder.size(); j++) {
        int a = failedInOrder.get(i);
        int b = failedInOrder.get(j);
        long earliestA = sentBetween.get(a)[0] + TimeUnit.MILLISECONDS.toNanos(a);
        long latestB = sentBetween.get(b)[1] + TimeUnit.MILLISECONDS.toNanos(b);
        assertThat(earliestA - latestB).as("%d ms failed before %d ms, whose deadline was surely earlier", a, b)
            .isLessThanOrEqualTo(0);
      }
    }
    assertThat(earlyBy).as("no command failed before its own timeout").isEmpty();
    assertThat(client.isOpen()).isTrue();
    assertThat(Await.result(client.execute("sync", null))).isEqualTo(new JsonObject());
  }

  @Test
  void aShortTimeoutBehindALongOneIsNotHeldBack() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    Future<Object> longOne = client.execute("hang-long", null, Duration.ofSeconds(30));

    Throwable shortOne = Await.failure(client.execute("hang-short", null, Duration.ofMillis(100)));

    assertThat(((QmpTimeoutException) shortOne).command()).isEqualTo("hang-short");
    assertThat(longOne.isComplete()).as("the 30 s command is still pending").isFalse();
    client.close();
    assertThat(Await.failure(longOne)).isInstanceOf(QmpClosedException.class);
  }

  @Test
  void aLateReplyAfterTheTimeoutIsDroppedAndCounted() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    QmpConnection conn = QmpClientImpl.connectionOf(client);

    Throwable timeout = Await.failure(client.execute("slow", null, Duration.ofMillis(100)));
    Await.result(client.execute("release", null));

    assertThat(timeout).isInstanceOf(QmpTimeoutException.class);
    assertThat(conn.lateReplies()).isEqualTo(1);
    assertThat(conn.unknownReplies()).isZero();
    assertThat(client.isOpen()).isTrue();
  }

  @Test
  void answeredCommandsSetAboutOneTimerPerTimeoutPeriodNotOnePerCommand() {
    QmpClient client = connect(script(), QmpOptions.defaults());
    QmpConnection conn = QmpClientImpl.connectionOf(client);
    long before = conn.deadlineTimersSet();
    List<Future<Object>> all = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      all.add(client.execute("ping", null));
    }
    for (int i = 0; i < 200; i++) {
      Await.result(client.execute("ping", null));
    }

    Await.result(Future.all(all));
    // the first command of the default 10 s timeout arms the timer; later deadlines are later, so nothing re-arms
    assertThat(conn.deadlineTimersSet() - before).isLessThanOrEqualTo(1);
  }
}
