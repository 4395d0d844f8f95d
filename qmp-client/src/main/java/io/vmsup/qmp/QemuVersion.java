package io.vmsup.qmp;

/**
 * A QEMU version as reported in the greeting and by {@code query-version}.
 *
 * @param pkg the distribution package string (QMP's {@code package}), possibly empty
 */
public record QemuVersion(int major, int minor, int micro, String pkg) {

  /** {@code major.minor.micro}. */
  @Override
  public String toString() {
    return major + "." + minor + "." + micro + (pkg == null || pkg.isEmpty() ? "" : " (" + pkg + ")");
  }

  /** Whether this version is at least {@code major.minor}. */
  public boolean atLeast(int wantMajor, int wantMinor) {
    return major > wantMajor || (major == wantMajor && minor >= wantMinor);
  }
}
