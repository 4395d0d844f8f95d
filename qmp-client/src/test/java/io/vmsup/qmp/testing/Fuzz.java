package io.vmsup.qmp.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The suite's property-based fuzzing, bounded by tries (never by time): a seeded generator makes {@code tries} inputs,
 * each is checked, and the first failing input is shrunk (greedily, through the caller's shrinker) before it is
 * reported together with the seed that reproduces it ({@code -Dvmsup.fuzz.seed=N}). Shared by every module's tests
 * through qmp-client's test-jar.
 *
 * <p>We wrote our own instead of using a property-testing library: jqwik, the obvious one, states since 1.10 that it
 * is not to be used by AI coding agents, and this project is developed with them.
 */
public final class Fuzz {

  /** Makes one input from the random source. */
  @FunctionalInterface
  public interface Gen<T> {
    T next(Random random);
  }

  /** The property; it fails by throwing (an AssertionError or any exception). */
  @FunctionalInterface
  public interface Check<T> {
    void check(T input) throws Exception;
  }

  private static final int MAX_SHRINK_STEPS = 2_000;

  private Fuzz() {
  }

  /** Checks {@code tries} generated inputs; no shrinking. */
  public static <T> void forAll(int tries, Gen<T> gen, Check<T> check) {
    forAll(tries, gen, input -> Stream.empty(), check);
  }

  /**
   * Checks {@code tries} generated inputs; a failure is shrunk through {@code shrinker} (candidates "smaller" than
   * its argument, the most promising first) and thrown as an AssertionError naming the seed, the try, the original
   * and the shrunk input, with the shrunk input's failure as its cause.
   */
  public static <T> void forAll(int tries, Gen<T> gen, Function<T, Stream<T>> shrinker, Check<T> check) {
    long seed = Long.getLong("vmsup.fuzz.seed", new Random().nextLong());
    Random random = new Random(seed);
    for (int i = 0; i < tries; i++) {
      T input = gen.next(random);
      Throwable failure = failure(check, input);
      if (failure != null) {
        T smallest = input;
        int steps = 0;
        boolean progress = true;
        while (progress && steps < MAX_SHRINK_STEPS) {
          progress = false;
          for (T candidate : (Iterable<T>) shrinker.apply(smallest)::iterator) {
            if (++steps > MAX_SHRINK_STEPS) {
              break;
            }
            Throwable again = failure(check, candidate);
            if (again != null) {
              smallest = candidate;
              failure = again;
              progress = true;
              break;
            }
          }
        }
        throw new AssertionError("property failed (seed " + seed + ", try " + (i + 1) + " of " + tries
            + "; rerun with -Dvmsup.fuzz.seed=" + seed + ")\n  input:  " + show(input) + "\n  shrunk: "
            + show(smallest) + "\n  " + failure, failure);
      }
    }
  }

  private static <T> Throwable failure(Check<T> check, T input) {
    try {
      check.check(input);
      return null;
    } catch (Exception | AssertionError e) {
      return e;
    }
  }

  private static String show(Object input) {
    String s = String.valueOf(input);
    return s.length() > 400 ? s.substring(0, 400) + "… (" + s.length() + " chars)" : s;
  }

  /** A string of up to {@code maxLength} characters taken from {@code alphabet}. */
  public static String string(Random random, String alphabet, int maxLength) {
    int n = random.nextInt(maxLength + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return b.toString();
  }

  /** A string of up to {@code maxLength} arbitrary UTF-16 code units (surrogates and controls included). */
  public static String anyString(Random random, int maxLength) {
    int n = random.nextInt(maxLength + 1);
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (random.nextInt(4) == 0 ? random.nextInt(0x10000) : random.nextInt(0x80)));
    }
    return b.toString();
  }

  /** One of {@code values}. */
  public static <T> T oneOf(Random random, List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  /** Up to {@code maxSize} elements of {@code element}. */
  public static <T> List<T> list(Random random, int maxSize, Gen<T> element) {
    int n = random.nextInt(maxSize + 1);
    List<T> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(element.next(random));
    }
    return out;
  }

  /** Shorter strings: without its second half, first half, then without each single character. */
  public static Stream<String> shrinkString(String s) {
    if (s.isEmpty()) {
      return Stream.empty();
    }
    Stream<String> halves = Stream.of(s.substring(0, s.length() / 2), s.substring(s.length() / 2));
    Stream<String> singles = IntStream.range(0, s.length()).mapToObj(i -> s.substring(0, i) + s.substring(i + 1));
    return Stream.concat(halves, singles).filter(c -> c.length() < s.length());
  }

  /** Shorter lists: without each single element. */
  public static <T> Stream<List<T>> shrinkList(List<T> list) {
    return IntStream.range(0, list.size()).mapToObj(i -> {
      List<T> copy = new ArrayList<>(list);
      copy.remove(i);
      return copy;
    });
  }
}
