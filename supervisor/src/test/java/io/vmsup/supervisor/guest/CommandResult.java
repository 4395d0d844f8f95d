package io.vmsup.supervisor.guest;

import java.util.List;

/**
 * What one command run by the guest's serial command loop printed.
 *
 * @param sequence the guest's number for the command ({@code CMD-BEGIN <n>})
 * @param rc       the command's exit status ({@code CMD-END <n> rc=<rc>})
 * @param output   the lines between the two markers (stdout and stderr)
 */
public record CommandResult(int sequence, int rc, List<String> output) {

  /** The output lines joined with {@code \n}. */
  public String text() {
    return String.join("\n", output);
  }
}
