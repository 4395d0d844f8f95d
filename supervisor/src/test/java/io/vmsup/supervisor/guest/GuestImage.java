package io.vmsup.supervisor.guest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel and initramfs built by {@code scripts/build-test-guest}, as handed out by {@link TestGuest}.
 *
 * @param kernel   the kernel image ({@code vmlinuz})
 * @param initrd   the busybox initramfs ({@code initrd.gz})
 * @param manifest the build manifest (package versions and hashes)
 */
public record GuestImage(Path kernel, Path initrd, Path manifest) {

  /** The directories a supervisor must allow (its {@code allowedPaths}) for specs that boot this guest. */
  public java.util.List<Path> roots() {
    return java.util.List.of(kernel.toAbsolutePath().getParent(), initrd.toAbsolutePath().getParent());
  }

  /**
   * The kernel command line every test guest boots with: serial console, reboot at once on panic, no crypto
   * self-tests, and no IO-APIC timer check (under TCG on a loaded host the check fails and panics the kernel)
   */
  public static final String BASE_APPEND = "console=ttyS0 quiet panic=-1 cryptomgr.notests no_timer_check";

  /** Turns the ACPI power button into a no-op (the guest prints {@code GUEST-BUTTON-IGNORED}). */
  public static final String IGNORE_BUTTON = "vmsup.ignore_button";

  /** The guest marker printed once modules, acpid and the command loop are up. */
  public static final String READY = "GUEST-READY";

  /** The guest marker printed when the power button is honoured. */
  public static final String SHUTDOWN = "GUEST-SHUTDOWN";

  /** A switch that makes init wait {@code seconds} before powering off or rebooting. */
  public static String slowShutdown(int seconds) {
    return "vmsup.slow_shutdown=" + seconds;
  }

  /** A switch that makes the guest kernel panic {@code seconds} after boot ({@code echo c > /proc/sysrq-trigger}). */
  public static String panicAfter(int seconds) {
    return "vmsup.panic_after=" + seconds;
  }

  /** The kernel command line: {@link #BASE_APPEND} followed by the given switches. */
  public static String append(String... switches) {
    List<String> words = new ArrayList<>(List.of(BASE_APPEND));
    words.addAll(List.of(switches));
    return String.join(" ", words);
  }
}
