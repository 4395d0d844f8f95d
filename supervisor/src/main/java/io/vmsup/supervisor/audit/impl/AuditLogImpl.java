package io.vmsup.supervisor.audit.impl;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.audit.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Logger;

/** Appends on a one-thread worker pool, so records keep their order without any lock on an event loop. */
public final class AuditLogImpl implements AuditLog {

  private static final Logger LOG = Logger.getLogger(AuditLog.class.getName());

  private final WorkerExecutor worker;
  private final Path file;
  private final long maxBytes;
  private final int keep;

  private AuditLogImpl(WorkerExecutor worker, Path file, long maxBytes, int keep) {
    this.worker = worker;
    this.file = file;
    this.maxBytes = maxBytes;
    this.keep = keep;
  }

  public static Future<AuditLog> open(Vertx vertx, Path file, long maxBytes, int keep) {
    WorkerExecutor worker = vertx.createSharedWorkerExecutor("vmsup-audit-" + file, 1);
    return worker.executeBlocking(() -> {
      Path dir = file.toAbsolutePath().getParent();
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      return (AuditLog) new AuditLogImpl(worker, file, maxBytes, keep);
    });
  }

  @Override
  public void record(JsonObject entry) {
    byte[] line = (entry.encode() + "\n").getBytes(StandardCharsets.UTF_8);
    worker.executeBlocking(() -> {
      append(line);
      return null;
    }).onFailure(t -> LOG.severe("audit record not written (" + t + "): " + entry.encode()));
  }

  @Override
  public Future<Void> flush() {
    return worker.executeBlocking(() -> null);
  }

  private void append(byte[] line) throws IOException {
    if (Files.exists(file) && Files.size(file) + line.length > maxBytes) {
      rotate();
    }
    if (!Files.exists(file)) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    Files.write(file, line, StandardOpenOption.APPEND);
  }

  private void rotate() throws IOException {
    Files.deleteIfExists(sibling(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(sibling(i))) {
        Files.move(sibling(i), sibling(i + 1), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    Files.move(file, sibling(1), StandardCopyOption.REPLACE_EXISTING);
  }

  private Path sibling(int n) {
    return file.resolveSibling(file.getFileName() + "." + n);
  }
}
