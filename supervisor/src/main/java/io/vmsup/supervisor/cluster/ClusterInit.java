package io.vmsup.supervisor.cluster;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code vmsup cluster init}: a cluster CA and one certificate per member, made with {@code openssl}, for tests and
 * small setups. Layout: {@code DIR/ca.pem} and {@code DIR/ca-key.pem} (the CA's key: keep it off the members), and
 * per member {@code DIR/<host>/} with {@code ca.pem}, {@code member.pem}, {@code member-key.pem} — the directory a
 * daemon names with {@code --cluster-tls-dir}. An existing CA is reused (never replaced) and existing members are
 * left alone, so running it again with a new host id adds that member. {@code DIR/fleet.key} (made once) is copied
 * into every member's directory: the daemons' host credential on the bus; clients ({@code --clients}: services that
 * join the bus to call the daemons) get a certificate but never the key.
 */
public final class ClusterInit {

  private static final int CA_DAYS = 3650;
  private static final int MEMBER_DAYS = 825;

  private final Path dir;
  private final PrintStream out;

  private ClusterInit(Path dir, PrintStream out) {
    this.dir = dir;
    this.out = out;
  }

  /**
   * @param hosts the member host ids
   * @param addresses IP addresses and DNS names written into every member's subjectAltName besides its host id
   * @throws IOException when a file cannot be written or openssl fails (its output in the message)
   */
  public static void run(Path dir, List<String> hosts, List<String> addresses, PrintStream out) throws IOException {
    run(dir, hosts, List.of(), addresses, out);
  }

  /**
   * As {@link #run(Path, List, List, PrintStream)}, plus certificates for {@code clients}: services that join the
   * clustered bus to call the daemons (with a token). Their directories get no fleet key: only daemons seal.
   */
  public static void run(Path dir, List<String> hosts, List<String> clients, List<String> addresses,
      PrintStream out) throws IOException {
    for (String h : hosts) {
      if (clients.contains(h)) {
        throw new IllegalArgumentException("'" + h + "' is named both as a host and as a client");
      }
    }
    for (String h : concat(hosts, clients)) {
      if (!HostIds.valid(h)) {
        throw new IllegalArgumentException("host id '" + h + "' " + HostIds.RULE);
      }
    }
    Files.createDirectories(dir);
    // absolute: openssl runs in DIR, so a relative DIR (as typed by a user) would be resolved twice
    ClusterInit init = new ClusterInit(dir.toAbsolutePath(), out);
    init.ca();
    init.fleetKey();
    for (String h : hosts) {
      init.member(h, addresses);
      init.giveKey(h);
    }
    for (String c : clients) {
      init.member(c, addresses);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /** DIR/fleet.key: 32 random bytes as hex, made once. */
  private void fleetKey() throws IOException {
    Path key = dir.resolve(ClusterSettings.FLEET_KEY_FILE);
    if (Files.exists(key)) {
      return;
    }
    byte[] bytes = new byte[32];
    new java.security.SecureRandom().nextBytes(bytes);
    Files.writeString(key, java.util.HexFormat.of().formatHex(bytes) + "\n", StandardCharsets.US_ASCII);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    out.println("fleet key: " + key + " (new; copied to every member, never to clients)");
  }

  /** Copies the fleet key into a member's directory (also into a member made before fleet keys existed). */
  private void giveKey(String host) throws IOException {
    Path target = dir.resolve(host).resolve(ClusterSettings.FLEET_KEY_FILE);
    if (!Files.exists(target)) {
      Files.copy(dir.resolve(ClusterSettings.FLEET_KEY_FILE), target);
      Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
    }
  }

  private void ca() throws IOException {
    Path cert = dir.resolve(ClusterSettings.CA_FILE);
    Path key = dir.resolve("ca-key.pem");
    if (Files.exists(cert) && Files.exists(key)) {
      out.println("CA: " + cert + " (kept)");
      return;
    }
    openssl(List.of("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
        cert.toString(), "-days", String.valueOf(CA_DAYS), "-subj", "/CN=vmsup cluster CA",
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    out.println("CA: " + cert + " (new; its key " + key + " signs members: keep it off the hosts)");
  }

  private void member(String host, List<String> addresses) throws IOException {
    Path home = dir.resolve(host);
    Path cert = home.resolve(ClusterSettings.CERT_FILE);
    if (Files.exists(cert)) {
      out.println("member " + host + ": " + home + " (kept)");
      return;
    }
    Files.createDirectories(home);
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path key = home.resolve(ClusterSettings.KEY_FILE);
    Path csr = home.resolve("member.csr");
    Path ext = home.resolve("member.ext");
    List<String> san = new ArrayList<>(List.of("DNS:" + host));
    for (String a : addresses) {
      san.add((a.matches("[0-9.]+") || a.contains(":") ? "IP:" : "DNS:") + a);
    }
    Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        + "extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=" + String.join(",", san) + "\n");
    openssl(List.of("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", csr.toString(),
        "-subj", "/CN=" + host));
    openssl(List.of("x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(ClusterSettings.CA_FILE).toString(),
        "-CAkey", dir.resolve("ca-key.pem").toString(), "-CAcreateserial", "-out", cert.toString(), "-days",
        String.valueOf(MEMBER_DAYS), "-extfile", ext.toString()));
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.copy(dir.resolve(ClusterSettings.CA_FILE), home.resolve(ClusterSettings.CA_FILE));
    Files.delete(csr);
    Files.delete(ext);
    out.println("member " + host + ": " + home + " (use --cluster-tls-dir " + home + ")");
  }

  private void openssl(List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(args);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + args.get(0) + " failed: " + output.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while openssl ran", e);
    }
  }
}
