package io.vmsup.supervisor.deploy;

/** A tiny program for {@link CliArchiveTest}: its own jar and class-data archive, loaded with the CLI's flags. */
public final class CdsProbe {

  private CdsProbe() {
  }

  public static void main(String[] args) {
    System.out.println("probe-ok " + new java.util.TreeMap<>(java.util.Map.of("a", 1)));
  }
}
