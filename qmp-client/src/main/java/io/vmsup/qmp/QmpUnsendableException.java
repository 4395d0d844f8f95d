package io.vmsup.qmp;

/**
 * A command was refused before it was written: a string in it (its name, an argument's name or value) holds a
 * character QEMU's JSON parser rejects (half of a surrogate pair, which QEMU 7.2 calls "not a valid Unicode
 * character"). QEMU would answer such a message
 * with an error without an id, which ends the connection for every command on it; this one fails alone, and the
 * connection stays open.
 */
public final class QmpUnsendableException extends QmpException {

  private final String command;
  private final String path;

  public QmpUnsendableException(String command, String path, String why) {
    super(command + ": not sent, " + path + " " + why + " (QEMU's JSON parser refuses it)", null);
    this.command = command;
    this.path = path;
  }

  /** The QMP command name. */
  public String command() {
    return command;
  }

  /** Where the string is: {@code execute}, or a JSON path below {@code arguments} ({@code arguments.devices[2].id}). */
  public String path() {
    return path;
  }
}
