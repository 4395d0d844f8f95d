package io.vmsup.supervisor.store;

import io.vertx.core.json.JsonObject;
import io.vmsup.supervisor.api.ErrorCode;
import io.vmsup.supervisor.api.VmException;
import java.nio.file.Path;

/** Builds the NOT_PERSISTED failure of a state-directory write: what happened, what was not written, and why. */
public final class WriteFailures {

  private WriteFailures() {
  }

  /**
   * @param outcome   what the command did, as a sentence start ("VM 'a' was not created"), or null
   * @param unwritten what could not be written ("desired", "spec.json and desired", ...)
   * @param path      where
   * @param cause     the I/O failure
   */
  public static VmException of(String outcome, String unwritten, Path path, Throwable cause) {
    return of(outcome, unwritten, path, cause, new JsonObject());
  }

  /** Like {@link #of(String, String, Path, Throwable)} with further members for the failure body. */
  public static VmException of(String outcome, String unwritten, Path path, Throwable cause, JsonObject more) {
    if (cause instanceof VmException v && v.code() == ErrorCode.NOT_PERSISTED) {
      cause = new java.io.IOException(v.details().getString("cause", v.getMessage()));
    }
    String reason = AtomicFiles.reason(cause);
    JsonObject details = more.copy()
        .put("unwritten", unwritten)
        .put("path", path.toString())
        .put("cause", reason);
    return new VmException(ErrorCode.NOT_PERSISTED, (outcome == null ? "" : outcome + ": ") + unwritten + " could not be written to " + path + " (" + reason + ")", details);
  }
}
