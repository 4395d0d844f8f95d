package io.vmsup.qmp.impl;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Loads and initialises the classes a first QMP connection loads (Vert.x's net client, Netty's epoll domain-socket
 * channel and pipeline, this client's codec), listed in {@code connect-classes.txt} beside this class. A daemon that
 * re-adopts many QEMUs at start connects to all of them at once on every event loop: at load 50-77 one loop inflated
 * those classes from the jars while the others waited on the same class-loading locks, all blocked 5-10 s. Loaded
 * here on a worker first, the connects find them ready. A name that no longer exists (another Netty or Vert.x) is
 * skipped; {@code ConnectClassesIT} says which classes a connect still loads.
 */
public final class ConnectClasses {

  static final String LIST = "connect-classes.txt";

  private ConnectClasses() {
  }

  /** Loads every listed class (blocking: class loading reads jars); returns how many were found. */
  public static int preload() {
    ClassLoader loader = ConnectClasses.class.getClassLoader();
    int loaded = 0;
    try (InputStream in = ConnectClasses.class.getResourceAsStream(LIST)) {
      if (in == null) {
        return 0;
      }
      BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String name; (name = lines.readLine()) != null; ) {
        name = name.trim();
        if (name.isEmpty() || name.startsWith("#")) {
          continue;
        }
        try {
          Class.forName(name, true, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError gone) {
          // another version of Netty or Vert.x: the connect loads what it needs itself
        }
      }
    } catch (IOException unreadable) {
      return loaded;
    }
    return loaded;
  }
}
