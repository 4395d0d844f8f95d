package io.vmsup.qmp.impl;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.nio.channels.Channel;

/**
 * Reads descriptor numbers out of JDK objects. The JDK hides them; the launcher and Surefire open
 * {@code java.io} (and, where needed, {@code sun.nio.ch}) to us.
 */
public final class FdAccess {

  private FdAccess() {
  }

  public static int fdOf(FileDescriptor descriptor) {
    if (!descriptor.valid()) {
      throw new IllegalArgumentException("the FileDescriptor is closed");
    }
    return intField(descriptor, FileDescriptor.class, "fd", "java.io");
  }

  public static int fdOf(Channel channel) {
    if (!channel.isOpen()) {
      throw new IllegalArgumentException("the channel is closed");
    }
    for (Class<?> c = channel.getClass(); c != null; c = c.getSuperclass()) {
      try {
        Field f = c.getDeclaredField("fd");
        if (f.getType() == FileDescriptor.class) {
          open(f, "sun.nio.ch");
          return fdOf((FileDescriptor) f.get(channel));
        }
      } catch (NoSuchFieldException e) {
        // look in the superclass
      } catch (IllegalAccessException e) {
        throw noAccess("sun.nio.ch", e);
      }
    }
    throw new IllegalArgumentException("no descriptor found in " + channel.getClass().getName());
  }

  private static int intField(Object target, Class<?> type, String name, String pkg) {
    try {
      Field f = type.getDeclaredField(name);
      open(f, pkg);
      return f.getInt(target);
    } catch (NoSuchFieldException | IllegalAccessException e) {
      throw noAccess(pkg, e);
    }
  }

  private static void open(Field f, String pkg) {
    try {
      f.setAccessible(true);
    } catch (RuntimeException e) {
      throw noAccess(pkg, e);
    }
  }

  private static IllegalArgumentException noAccess(String pkg, Exception cause) {
    return new IllegalArgumentException("cannot read a file descriptor number: run the JVM with "
        + "--add-opens java.base/" + pkg + "=ALL-UNNAMED", cause);
  }
}
