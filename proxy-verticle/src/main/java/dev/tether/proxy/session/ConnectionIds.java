package dev.tether.proxy.session;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connection ids a node puts in its greeting: fleet-unique, and never a backend thread id, so a
 * {@code KILL n} tells at a glance whether it names a Tether session (and which node owns it) or a
 * server thread. Layout of the 32-bit id, kept below 2^31 because some drivers store it in a signed
 * int (the greeting field is a 4-byte unsigned int; Connector/J, MariaDB Connector/J, PyMySQL and
 * mysql2 read it as such, and print it back in {@code KILL QUERY n} as a positive decimal):
 *
 * <pre>
 *   bit 31      0 (positive as a signed int)
 *   bit 30      1 (Tether's mark: a server reaches thread id 2^30 only after a billion connections
 *                 since its start, so ids below it are the backends')
 *   bits 29-22  node number, 0-255 (fleet-unique, leased through the cluster; 0 = standalone)
 *   bits 21-0   per-node counter, 1 to 4,194,303, wrapping and skipping ids still in use
 * </pre>
 */
public final class ConnectionIds {
  public static final long MARK = 1L << 30;
  public static final int NODE_BITS = 8;
  public static final int MAX_NODE = (1 << NODE_BITS) - 1;
  private static final int COUNTER_BITS = 22;
  private static final int COUNTER_MASK = (1 << COUNTER_BITS) - 1;

  private final AtomicInteger counter = new AtomicInteger();
  private volatile int node;

  /** Sets this node's number (before the node accepts clients). */
  public void node(int number) {
    if (number < 0 || number > MAX_NODE) {
      throw new IllegalArgumentException("node number out of range 0.." + MAX_NODE + ": " + number);
    }
    node = number;
  }

  public int node() {
    return node;
  }

  /** The next id of this node that {@code inUse} does not hold. */
  public long next(java.util.function.LongPredicate inUse) {
    for (int attempt = 0; attempt <= COUNTER_MASK; attempt++) {
      int count = counter.incrementAndGet() & COUNTER_MASK;
      if (count == 0) {
        continue;
      }
      long id = of(node, count);
      if (!inUse.test(id)) {
        return id;
      }
    }
    throw new IllegalStateException("every connection id of node " + node + " is in use");
  }

  static long of(int node, int count) {
    return MARK | ((long) node << COUNTER_BITS) | count;
  }

  /** Whether {@code id} (as a client wrote it in a KILL) names a Tether session rather than a backend thread. */
  public static boolean isTether(long id) {
    return id >= MARK && id < (MARK << 1);
  }

  /** The number of the node that owns the Tether session {@code id}. */
  public static int nodeOf(long id) {
    return (int) ((id >> COUNTER_BITS) & MAX_NODE);
  }
}
