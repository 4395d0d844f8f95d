package io.vmsup.supervisor.image;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.image.impl.ImageFiles;
import io.vmsup.supervisor.metrics.MetricNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * The image store's usage as gauges: {@code vmsup_image_store_used_bytes} (the images' allocated bytes, from their
 * records), {@code vmsup_image_store_available_bytes} (usable space of the store's file system) and
 * {@code vmsup_image_store_images}. Read when scraped: the daemon scrapes on a worker thread, never on an event loop
 * (a few small files and one statfs per scrape). A figure that cannot be read is NaN (absent), never 0.
 */
public final class ImageStoreMeters {

  private static final Logger LOG = Logger.getLogger(ImageStoreMeters.class.getName());

  private final ImageFiles files;

  private ImageStoreMeters(Path stateDir) {
    this.files = new ImageFiles(stateDir);
  }

  /** Registers the gauges of the store in {@code stateDir}. */
  public static void bind(Path stateDir, MeterRegistry registry) {
    ImageStoreMeters m = new ImageStoreMeters(stateDir);
    Gauge.builder(MetricNames.IMAGE_STORE_USED, m, ImageStoreMeters::used).strongReference(true)
        .description("bytes the images of the image store take on the host").register(registry);
    Gauge.builder(MetricNames.IMAGE_STORE_AVAILABLE, m, ImageStoreMeters::available).strongReference(true)
        .description("bytes still free on the image store's file system").register(registry);
    Gauge.builder(MetricNames.IMAGE_STORE_IMAGES, m, ImageStoreMeters::count).strongReference(true)
        .description("images in the image store").register(registry);
  }

  private double used() {
    try {
      long sum = 0;
      for (Object o : files.list()) {
        sum += ((JsonObject) o).getLong("actualSize", 0L);
      }
      return sum;
    } catch (IOException | RuntimeException e) {
      LOG.fine("image store usage unknown: " + e);
      return Double.NaN;
    }
  }

  private double available() {
    try {
      return Files.getFileStore(files.root()).getUsableSpace();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private double count() {
    try {
      return files.list().size();
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }
}
