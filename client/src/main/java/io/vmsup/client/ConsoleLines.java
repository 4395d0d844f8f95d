package io.vmsup.client;

import java.util.List;

/**
 * The reply of a console read: the last lines of the serial log and where the live stream continues.
 *
 * @param vm the VM
 * @param lines the lines, oldest first
 * @param next the offset where the live stream ({@link VmsupClient#console}) continues: show live lines whose
 *     offset is at least this
 * @param truncated whether some lines after the requested offset were left out
 */
public record ConsoleLines(String vm, List<ConsoleLine> lines, long next, boolean truncated) {

  public ConsoleLines {
    lines = List.copyOf(lines);
  }
}
