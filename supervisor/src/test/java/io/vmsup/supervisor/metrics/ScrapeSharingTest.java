package io.vmsup.supervisor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vmsup.qmp.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scrapes asked while a render is under way share that render's page (at 10,000 VMs a render costs seconds of CPU
 * and megabytes: ten scrapers must not mean ten renders), each answered on its own context; a scrape after the render
 * finished renders afresh.
 */
class ScrapeSharingTest {

  private final Vertx vertx = Vertx.vertx();
  private final DaemonMetrics metrics = DaemonMetrics.create("scrape-sharing-" + System.nanoTime());

  @AfterEach
  void close() throws Exception {
    Await.result(vertx.close(), Duration.ofSeconds(10));
    metrics.registry().close();
  }

  @Test
  void eachScrapeIsAnsweredOnItsOwnContextAndALaterOneRendersAfresh() throws Exception {
    metrics.registry().counter("scrape_sharing_probe").increment();
    Context a = vertx.getOrCreateContext();
    Context b = vertx.getOrCreateContext();
    List<Boolean> onOwnContext = new CopyOnWriteArrayList<>();
    CompletableFuture<Future<String>> first = new CompletableFuture<>();
    CompletableFuture<Future<String>> second = new CompletableFuture<>();
    // both asked within one task of context a: the render cannot have completed on a in between
    a.runOnContext(v -> {
      first.complete(metrics.scrape(vertx).andThen(x -> onOwnContext.add(Vertx.currentContext() == a)));
      b.runOnContext(w -> second.complete(metrics.scrape(vertx)
          .andThen(x -> onOwnContext.add(Vertx.currentContext() == b))));
    });
    String one = Await.result(first.get(10, TimeUnit.SECONDS), Duration.ofSeconds(30));
    String two = Await.result(second.get(10, TimeUnit.SECONDS), Duration.ofSeconds(30));
    assertThat(one).contains("scrape_sharing_probe");
    String three = Await.result(metrics.scrape(vertx), Duration.ofSeconds(30));
    assertThat(three).contains("scrape_sharing_probe").isNotSameAs(one);
    assertThat(two).contains("scrape_sharing_probe"); // a's page, or its own when a's render was done already
    assertThat(onOwnContext).containsOnly(true).hasSize(2);
  }

  @Test
  void twoScrapesAskedInOneTaskGetTheSameRender() throws Exception {
    // a page worth rendering: an empty registry renders in microseconds, and a render already done when the second
    // scrape is asked is (rightly) not shared (a CI run saw exactly that)
    for (int i = 0; i < 20_000; i++) {
      metrics.registry().counter("scrape_sharing_bulk", "n", Integer.toString(i)).increment();
    }
    Context a = vertx.getOrCreateContext();
    CompletableFuture<List<Future<String>>> asked = new CompletableFuture<>();
    a.runOnContext(v -> asked.complete(List.of(metrics.scrape(vertx), metrics.scrape(vertx),
        metrics.scrapeOpenMetrics(vertx))));
    List<Future<String>> f = asked.get(10, TimeUnit.SECONDS);
    String one = Await.result(f.get(0), Duration.ofSeconds(30));
    assertThat(Await.result(f.get(1), Duration.ofSeconds(30))).as("one render, one page").isSameAs(one);
    assertThat(Await.result(f.get(2), Duration.ofSeconds(30))).as("another format, its own render")
        .isNotSameAs(one).endsWith("# EOF\n");
  }
}
