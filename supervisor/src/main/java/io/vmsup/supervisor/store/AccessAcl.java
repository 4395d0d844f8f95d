package io.vmsup.supervisor.store;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.file.Path;

/** Whether a file carries a POSIX access ACL (then its group mode bits are the ACL's mask). Blocking. */
final class AccessAcl {

  private static final int ENODATA = 61;
  private static final int EOPNOTSUPP = 95;

  /** The one libc call, with errno as {@link LastErrorException}. */
  interface LibC extends Library {
    long getxattr(String path, String name, Pointer value, long size) throws LastErrorException;
  }

  private static final class Holder {
    static final LibC C = Native.load("c", LibC.class);
  }

  private AccessAcl() {
  }

  /**
   * True when {@code file} has an extended access ACL, and when that cannot be told (its mask is then left as it is:
   * a wrong "no" would silence the entries of running QEMUs).
   */
  static boolean present(Path file) {
    try {
      return Holder.C.getxattr(file.toString(), "system.posix_acl_access", null, 0) > 0;
    } catch (LastErrorException e) {
      return e.getErrorCode() != ENODATA && e.getErrorCode() != EOPNOTSUPP;
    } catch (LinkageError e) {
      return true;
    }
  }
}
