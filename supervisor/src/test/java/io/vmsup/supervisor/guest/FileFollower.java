package io.vmsup.supervisor.guest;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * A blocking channel over a file that another process appends to (like {@code tail -F}): at end of file it waits
 * for the file to change instead of returning -1. The file may not exist yet. Interrupting the reading thread ends it.
 */
final class FileFollower implements ReadableByteChannel {

  // inotify (the JDK's WatchService on Linux) wakes us on writes; the poll bound only covers coalesced events.
  private static final long RECHECK_MILLIS = 100;

  private final Path file;
  private FileChannel channel;
  private WatchService watcher;
  private boolean open = true;

  FileFollower(Path file) {
    this.file = file.toAbsolutePath();
  }

  @Override
  public int read(ByteBuffer target) throws IOException {
    while (open) {
      if (channel == null) {
        channel = tryOpen();
      }
      if (channel != null) {
        int n = channel.read(target);
        if (n > 0) {
          return n;
        }
      }
      awaitChange();
    }
    return -1;
  }

  private FileChannel tryOpen() throws IOException {
    try {
      return FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private void awaitChange() throws IOException {
    if (watcher == null) {
      Files.createDirectories(file.getParent());
      watcher = FileSystems.getDefault().newWatchService();
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
      return; // re-read once: the file may have changed before the watch was registered
    }
    try {
      var key = watcher.poll(RECHECK_MILLIS, TimeUnit.MILLISECONDS);
      if (key != null) {
        key.pollEvents();
        key.reset();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("stopped following " + file);
    }
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() throws IOException {
    open = false;
    if (channel != null) {
      channel.close();
    }
    if (watcher != null) {
      watcher.close();
    }
  }
}
