package dev.tether.proxy.node;

import java.time.Duration;

/**
 * Taking a node out of the fleet without cutting its clients: once draining, the node refuses new
 * connections (ERR 1053, as a server shutting down does) and reports itself not ready, so the load
 * balancer routes elsewhere; its clients may leave at their own pace until the deadline, when the
 * rest are closed with the same error. Written from the HTTP thread, read on every event loop.
 */
public final class NodeDrain {
  /** 0 while serving; else the wall-clock deadline after which remaining clients are closed. */
  private volatile long deadlineMillis;

  /** Starts draining (a second call keeps the first deadline). */
  public synchronized void start(Duration timeout, long nowMillis) {
    if (deadlineMillis == 0) {
      deadlineMillis = nowMillis + timeout.toMillis();
    }
  }

  public boolean draining() {
    return deadlineMillis != 0;
  }

  /** Whether the clients still connected are to be closed now. */
  public boolean expired(long nowMillis) {
    long deadline = deadlineMillis;
    return deadline != 0 && nowMillis >= deadline;
  }

  public long deadlineMillis() {
    return deadlineMillis;
  }
}
