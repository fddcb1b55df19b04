package dev.tether.proxy.protocol;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the client connections of one node may hold in partly received frames: at most
 * {@code perConnection} bytes each and {@code perNode} bytes together. Four header bytes may
 * announce 16 MiB; the decoders buffer only bytes that arrived and reserve them here first, so idle
 * clients that announce much and send little cannot fill the heap. Shared by every event loop.
 */
public final class PartialFrameBudget {
  /** Gauge: bytes all client connections of the node hold in partly received frames. */
  public static final String METRIC = "tether.proxy.partial.frame.bytes";

  private final long perConnection;
  private final long perNode;
  private final AtomicLong held = new AtomicLong();

  public PartialFrameBudget(long perConnection, long perNode) {
    this.perConnection = perConnection;
    this.perNode = perNode;
  }

  /** A budget that bounds nothing (backend connections, tests). */
  public static PartialFrameBudget unbounded() {
    return new PartialFrameBudget(Long.MAX_VALUE, Long.MAX_VALUE);
  }

  /** Takes {@code more} bytes for a connection that would then hold {@code connectionTotal}; false if over a bound. */
  boolean reserve(long more, long connectionTotal) {
    if (connectionTotal > perConnection) {
      return false;
    }
    long after = held.addAndGet(more);
    if (after > perNode) {
      held.addAndGet(-more);
      return false;
    }
    return true;
  }

  void release(long bytes) {
    held.addAndGet(-bytes);
  }

  public long held() {
    return held.get();
  }

  public long perNode() {
    return perNode;
  }
}
