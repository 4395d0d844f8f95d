package io.vmsup.qmp;

import io.vertx.core.json.JsonObject;
import io.vmsup.qmp.impl.Decoders;
import java.util.List;

/**
 * Commands around passed file descriptors. {@link #getfd} and {@link #addFd} must be sent with
 * {@link QmpClient#executeWithFd}; the others are ordinary commands.
 */
public final class QmpFdCommands {

  private QmpFdCommands() {
  }

  /**
   * {@code getfd}: bind the descriptor sent with this command to {@code fdname} (which must not start with a
   * digit; reusing a name closes the old descriptor). Commands then use it as {@code fd=NAME}.
   */
  public static QmpCommand<Void> getfd(String fdname) {
    if (fdname.isEmpty() || Character.isDigit(fdname.charAt(0))) {
      throw new IllegalArgumentException("an fd name must not be empty or start with a digit: " + fdname);
    }
    return QmpCommand.noResult("getfd", new JsonObject().put("fdname", fdname));
  }

  /** {@code closefd}: close a descriptor bound with {@link #getfd}. */
  public static QmpCommand<Void> closefd(String fdname) {
    return QmpCommand.noResult("closefd", new JsonObject().put("fdname", fdname));
  }

  /**
   * {@code add-fd}: put the descriptor sent with this command into an fd set.
   *
   * @param fdsetId the set to add to, or {@code null} for a new set
   * @param opaque a free-form note kept with the descriptor, or {@code null}
   */
  public static QmpCommand<AddFdInfo> addFd(Integer fdsetId, String opaque) {
    JsonObject args = new JsonObject();
    if (fdsetId != null) {
      args.put("fdset-id", fdsetId);
    }
    if (opaque != null) {
      args.put("opaque", opaque);
    }
    return QmpCommand.of("add-fd", args, Decoders::addFd);
  }

  /** {@code remove-fd}: remove one descriptor ({@code fd}) or, with {@code fd == null}, the whole set. */
  public static QmpCommand<Void> removeFd(int fdsetId, Integer fd) {
    JsonObject args = new JsonObject().put("fdset-id", fdsetId);
    if (fd != null) {
      args.put("fd", fd);
    }
    return QmpCommand.noResult("remove-fd", args);
  }

  public static QmpCommand<List<FdsetInfo>> queryFdsets() {
    return QmpCommand.of("query-fdsets", null, ret -> Decoders.list(ret, Decoders::fdset));
  }
}
