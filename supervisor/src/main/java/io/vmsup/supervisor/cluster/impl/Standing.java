package io.vmsup.supervisor.cluster.impl;

import io.vertx.core.Vertx;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Whether this member may go on running relocatable VMs: it sees a strict majority of the fleet's known hosts as
 * cluster members, and it has not just come back from a stall. A member cut off from the others sees itself alone
 * (or with a minority) once its failure detector has removed the rest; the majority then relocates its VMs, so the
 * minority must stop renewing its fencing lease (its watchdog kills them) and must not start them again.
 *
 * <p>The known hosts are the host table's records: a lost host keeps its record and stays counted, a host stopped
 * cleanly gives its record back and is no longer counted — once two reads in a row made while this member holds a
 * majority lack it (a cut-off member's copy of the table is partial, and so is a read during a merge); any read adds
 * hosts and updates their nodes, so a member that merges back after a split (its own or the others') counts them
 * again. A fleet of two therefore has no majority once either is
 * lost: relocation needs three hosts or more (docs/fleet.md).
 *
 * <p>A stall of the JVM (frozen by SIGSTOP, a long pause, a suspended machine) is seen by a {@link StallWatch} on a
 * thread of its own; afterwards the member does not stand for the failure-detection time plus two seconds, long enough
 * for its own failure detector to remove the members that stopped talking to it meanwhile. Without that hold a
 * resumed member would renew its lease once on its stale view of the cluster while the others relocate. A late tick
 * of this class (its event loop busy) is logged, not held against the member: the JVM ran, heartbeats went on.
 *
 * <p>Read on the event loop only ({@link #getAsBoolean} does not block: the member list is local).
 */
final class Standing implements BooleanSupplier {

  private static final Logger LOG = Logger.getLogger(Standing.class.getName());
  private static final long TICK_MS = 250;
  private static final long STALL_NANOS = Duration.ofSeconds(2).toNanos();
  /** Heartbeats are sent every second: a member silent for the failure time lost its last one up to 1 s before. */
  private static final Duration HEARTBEAT_SLACK = Duration.ofMillis(1_500);

  private final Vertx vertx;
  private final ClusterManager manager;
  private final HostTable hosts;
  private final Duration hold;
  private final Set<String> known = new TreeSet<>();
  /** The node each known host had at the last read: only those count as members (not any Hazelcast node). */
  private final java.util.Map<String, String> nodes = new java.util.HashMap<>();
  /** Known hosts missing from the last trusted reads of the table, and how many reads in a row. */
  private final java.util.Map<String, Integer> absent = new java.util.HashMap<>();
  private final StallWatch watch;
  private String me;
  private long lastTick = System.nanoTime();
  private boolean logged;
  private long ticks;
  private long lapses;
  private boolean hadMajority = true;

  Standing(Vertx vertx, ClusterManager manager, HostTable hosts, Duration failureAfter) {
    this.vertx = vertx;
    this.manager = manager;
    this.hosts = hosts;
    this.hold = failureAfter.plusSeconds(2);
    this.watch = new StallWatch(System::nanoTime, stallLimit(failureAfter).toNanos(), hold.toNanos());
  }

  /**
   * The longest gap that is not a stall: one the others cannot have seen as a loss (their failure detector removes a
   * member silent for {@code failureAfter}; its last heartbeat may be up to a second older than the gap), at least
   * 2 s. At load 40 the watch's own thread woke 3-4 s late without any loss: a fixed 2 s held members out for that.
   */
  static Duration stallLimit(Duration failureAfter) {
    Duration limit = failureAfter.minus(HEARTBEAT_SLACK);
    return limit.toNanos() > STALL_NANOS ? limit : Duration.ofNanos(STALL_NANOS);
  }

  /** Starts the stall watch and reads the known hosts. */
  void start(String me, String myNode) {
    this.me = me;
    known.add(me);
    nodes.put(me, myNode);
    watch.start();
    ((io.vertx.core.internal.VertxInternal) vertx).addCloseHook(done -> {
      watch.stop();
      done.succeed();
    });
    vertx.setPeriodic(TICK_MS, id -> tick());
    refresh();
  }

  private void tick() {
    long now = System.nanoTime();
    if (now - lastTick > STALL_NANOS && watch.clear()) {
      LOG.info("fleet: the fleet's event loop ran " + (now - lastTick) / 1_000_000 + " ms late; the JVM did not"
          + " stall (heartbeats went on), standing unchanged");
    }
    lastTick = now;
    // the table again every 2 s: a host that rejoined holds its id under a new node only after its join, and a
    // member that merged back after a split learns the others' records only then
    if (++ticks % 8 == 0) {
      refresh();
    }
    boolean majority = majority();
    if (hadMajority && !majority) {
      lapses++;
    }
    hadMajority = majority;
    boolean standing = getAsBoolean();
    if (standing == logged) {
      logged = !standing;
      LOG.log(standing ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING, standing
          ? "fleet: this member stands again (" + members() + " of " + known.size() + " known hosts are members)"
          : "fleet: this member does not stand (members " + memberHosts() + " of the known hosts " + known
              + ", or it just stalled): relocatable VMs are not started here and the fencing lease is"
              + " not renewed");
    }
  }

  /**
   * Reads the host table again (at every membership change, and every 2 s). Every read adds the hosts it lists and
   * their current nodes (a member that came back, or merged back after a split). A host is forgotten (it stopped
   * cleanly and gave its record back) only when two reads in a row, each begun and ended while this member held a
   * majority, lack it: a read during a split, a merge or a partition migration may miss records, and one that
   * dropped hosts would make a minority look like a majority.
   */
  void refresh() {
    boolean before = majority();
    hosts.all().onSuccess(records -> {
      boolean trusted = before && majority();
      for (String host : List.copyOf(known)) {
        if (records.containsKey(host) || !trusted || host.equals(me)) {
          absent.remove(host);
        } else if (absent.merge(host, 1, Integer::sum) >= 2) {
          known.remove(host);
          nodes.remove(host);
          absent.remove(host);
        }
      }
      known.addAll(records.keySet());
      records.forEach((host, r) -> nodes.put(host, r.node()));
    });
  }

  /** Known hosts whose node is a member now (a Hazelcast node that holds no host id does not count). */
  private int members() {
    return memberHosts().size();
  }

  private java.util.List<String> memberHosts() {
    java.util.List<String> live = manager.getNodes();
    java.util.List<String> out = new java.util.ArrayList<>();
    for (String host : known) {
      String node = nodes.get(host);
      if (node != null && live.contains(node)) {
        out.add(host);
      }
    }
    return out;
  }

  /** Whether the known hosts that are members now are a strict majority (no stall check). */
  boolean majority() {
    return members() * 2 > known.size();
  }

  @Override
  public boolean getAsBoolean() {
    return watch.clear() && majority();
  }

  /** How many times this member has lost its majority since it started (seen at its ticks; a stall is not one). */
  long lapses() {
    return lapses;
  }

  /** How many hosts the majority is counted against (tests, logs). */
  int known() {
    return known.size();
  }
}
