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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;

/**
 * A blocking channel over a file that another process appends to (like {@code tail -F}): at end of file it waits
 * for the file to change instead of returning -1. The file may not exist yet; when it is truncated (a restarted QEMU
 * reopens its {@code -chardev file} with O_TRUNC) reading starts again at 0, and when it is replaced (rotated) the
 * new file is opened. Interrupting the reading thread ends it.
 */
final class FileFollower implements ReadableByteChannel {

  // inotify (the JDK's WatchService on Linux) wakes us on writes; the poll bound only covers coalesced events.
  private static final long RECHECK_MILLIS = 100;

  private final Path file;
  private FileChannel channel;
  private Object fileKey;
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
        if (replaced()) {
          channel.close();
          channel = null;
          continue;
        }
        if (channel.size() < channel.position()) {
          channel.position(0);
          continue;
        }
      }
      awaitChange();
    }
    return -1;
  }

  private FileChannel tryOpen() throws IOException {
    try {
      FileChannel opened = FileChannel.open(file, StandardOpenOption.READ);
      fileKey = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      return opened;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  private boolean replaced() throws IOException {
    try {
      return fileKey != null && !fileKey.equals(Files.readAttributes(file, BasicFileAttributes.class).fileKey());
    } catch (NoSuchFileException e) {
      return false; // renamed away and not yet recreated: keep the old one until a new file appears
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
