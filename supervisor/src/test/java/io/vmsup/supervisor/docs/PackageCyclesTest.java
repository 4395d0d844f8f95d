package io.vmsup.supervisor.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The dependency rules of the build, read from the compiled classes' constant pools (so a fully qualified name in
 * the source counts as much as an import): config-model uses nothing of ours and no Vert.x (its JSON parser is
 * Jackson); qmp-client uses only
 * Vert.x (and the Netty beneath it) besides the JDK; the supervisor never uses the client module; and within each
 * module no package cycle exists other than an API package and its own {@code impl}.
 */
class PackageCyclesTest {

  private static final Path ROOT = Path.of("..");

  private static final Map<String, Map<String, Set<String>>> GRAPHS = new java.util.concurrent.ConcurrentHashMap<>();

  /** Package → the packages its classes refer to (all of them, ours and not); read once per module. */
  private static Map<String, Set<String>> graph(String module) throws IOException {
    Map<String, Set<String>> known = GRAPHS.get(module);
    if (known != null) {
      return known;
    }
    Path classes = ROOT.resolve(module).resolve("target/classes");
    assertThat(classes).as("compiled classes of " + module + " (build with -am)").isDirectory();
    Map<String, Set<String>> out = new TreeMap<>();
    for (Path f : ClassRefs.classFiles(classes)) {
      String rel = classes.relativize(f).toString();
      String pkg = ClassRefs.packageOf(rel.substring(0, rel.length() - ".class".length()));
      Set<String> deps = out.computeIfAbsent(pkg, k -> new TreeSet<>());
      for (String ref : ClassRefs.of(f)) {
        String p = ClassRefs.packageOf(ref);
        if (!p.equals(pkg)) {
          deps.add(p);
        }
      }
    }
    GRAPHS.put(module, out);
    return out;
  }

  private static boolean jdk(String pkg) {
    return pkg.startsWith("java.") || pkg.startsWith("javax.") || pkg.startsWith("jdk.") || pkg.startsWith("sun.");
  }

  /** Every "from -> to" where {@code to} is not allowed. */
  private static List<String> outside(Map<String, Set<String>> g, java.util.function.Predicate<String> allowed) {
    List<String> bad = new ArrayList<>();
    g.forEach((from, tos) -> tos.stream().filter(to -> !jdk(to) && !allowed.test(to))
        .forEach(to -> bad.add(from + " -> " + to)));
    return bad;
  }

  @Test
  void configModelUsesNothingOfOursAndNoVertx() throws IOException {
    assertThat(outside(graph("config-model"), p -> p.startsWith("io.vmsup.config")
        || !p.startsWith("io.vmsup.") && !p.startsWith("io.vertx.") && !p.startsWith("io.netty."))).isEmpty();
  }

  @Test
  void qmpClientUsesOnlyVertxAndItsNetty() throws IOException {
    assertThat(outside(graph("qmp-client"), p -> p.startsWith("io.vmsup.qmp") || p.startsWith("io.vertx.")
        || p.startsWith("io.netty."))).isEmpty();
  }

  @Test
  void theSupervisorNeverUsesTheClientModule() throws IOException {
    assertThat(outside(graph("supervisor"), p -> !p.equals("io.vmsup.client") && !p.startsWith("io.vmsup.client.")))
        .isEmpty();
  }

  @Test
  void noPackageCycleButAnApiAndItsOwnImpl() throws IOException {
    List<String> cycles = new ArrayList<>();
    for (String module : List.of("config-model", "qmp-client", "supervisor")) {
      for (Set<String> scc : cycles(graph(module))) {
        if (!apiAndImpl(scc)) {
          cycles.add(module + ": " + scc);
        }
      }
    }
    assertThat(cycles).isEmpty();
  }

  /** {@code {a.b, a.b.impl}}: the one cycle allowed. */
  private static boolean apiAndImpl(Set<String> scc) {
    if (scc.size() != 2) {
      return false;
    }
    List<String> two = new ArrayList<>(scc);
    return two.get(1).equals(two.get(0) + ".impl") || two.get(0).equals(two.get(1) + ".impl");
  }

  /** The strongly connected components with more than one package (Tarjan), among the module's own packages. */
  static List<Set<String>> cycles(Map<String, Set<String>> g) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> onStack = new TreeSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] next = {0};
    for (String v : g.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, g, index, low, stack, onStack, out, next);
      }
    }
    return out;
  }

  private static void connect(String v, Map<String, Set<String>> g, Map<String, Integer> index,
      Map<String, Integer> low, Deque<String> stack, Set<String> onStack, List<Set<String>> out, int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.push(v);
    onStack.add(v);
    for (String w : g.getOrDefault(v, Set.of())) {
      if (!g.containsKey(w)) {
        continue;
      }
      if (!index.containsKey(w)) {
        connect(w, g, index, low, stack, onStack, out, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (onStack.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> scc = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        onStack.remove(w);
        scc.add(w);
      } while (!w.equals(v));
      if (scc.size() > 1) {
        out.add(scc);
      }
    }
  }

  @Test
  void theCycleFinderFindsACycleAndAllowsNone() {
    Map<String, Set<String>> g = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a"), "x", Set.of("x.impl"), "x.impl", Set.of("x")));
    assertThat(cycles(g)).containsExactlyInAnyOrder(Set.of("a", "b", "c"), Set.of("x", "x.impl"));
    assertThat(apiAndImpl(Set.of("x", "x.impl"))).isTrue();
    assertThat(apiAndImpl(Set.of("a", "b"))).isFalse();
    assertThat(Files.exists(ROOT.resolve("pom.xml"))).as("run from a module directory").isTrue();
  }
}
