package io.vmsup.supervisor.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.client.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The image store's usage on {@code GET /metrics}: images, used and available bytes follow an import and a delete
 * (used = the images' allocated sizes their records give; available = the store's file system's free space).
 */
class ImageStoreMetricsIT {

  @RegisterExtension
  final DaemonExtension daemons = new DaemonExtension();

  private static PrometheusText scrape(DaemonFixture d) throws Exception {
    ApiClient.Response r = d.api.send("GET", "/metrics", null);
    assertThat(r.status()).isEqualTo(200);
    return new PrometheusText(r.body());
  }

  @Test
  void storeUsageFollowsImportAndDelete() throws Exception {
    DaemonFixture d = daemons.start();
    PrometheusText empty = scrape(d);
    assertThat(empty.value("vmsup_image_store_images")).hasValue(0.0);
    assertThat(empty.value("vmsup_image_store_used_bytes")).hasValue(0.0);
    double free = empty.value("vmsup_image_store_available_bytes").orElseThrow();
    // the same file system, give or take what others write meanwhile
    assertThat(free).isCloseTo((double) Files.getFileStore(daemons.state()).getUsableSpace(),
        org.assertj.core.data.Offset.offset(256.0 * (1 << 20)));

    Path raw = Files.createDirectories(daemons.state().resolve("src")).resolve("base.raw");
    Files.write(raw, new byte[3 << 20]); // written, not sparse: allocated on the host
    d.ok("POST", "/v1/images", new JsonObject().put("name", "base").put("path", raw.toString()).put("format", "raw"));
    long actual = d.ok("GET", "/v1/images/base", null).getLong("actualSize");
    assertThat(actual).isGreaterThan(0);
    PrometheusText one = scrape(d);
    assertThat(one.value("vmsup_image_store_images")).hasValue(1.0);
    assertThat(one.value("vmsup_image_store_used_bytes")).hasValue((double) actual);

    d.ok("DELETE", "/v1/images/base", null);
    PrometheusText none = scrape(d);
    assertThat(none.value("vmsup_image_store_images")).hasValue(0.0);
    assertThat(none.value("vmsup_image_store_used_bytes")).hasValue(0.0);
    assertThat(none.value("vmsup_image_store_available_bytes").orElseThrow()).isGreaterThan(0);
  }
}
