package io.vmsup.qmp;

/**
 * A command was refused before it was written: the bytes already waiting for QEMU to read them passed the
 * connection's cap ({@link #capBytes()}). QEMU has stopped reading its monitor (it is stopped, hung or hostile); the
 * connection stays open and serves again once QEMU reads.
 */
public final class QmpBacklogException extends QmpException {

  private final String command;
  private final long waitingBytes;
  private final long capBytes;

  public QmpBacklogException(String command, long waitingBytes, long capBytes) {
    super(command + ": not sent, QEMU is not reading its monitor (" + waitingBytes + " bytes already wait to be"
        + " written, at most " + capBytes + ")", null);
    this.command = command;
    this.waitingBytes = waitingBytes;
    this.capBytes = capBytes;
  }

  /** The QMP command name. */
  public String command() {
    return command;
  }

  /** Bytes waiting to be written when the command was refused. */
  public long waitingBytes() {
    return waitingBytes;
  }

  /** The connection's cap on bytes waiting to be written. */
  public long capBytes() {
    return capBytes;
  }
}
