package dev.tether.proxy.switchover;

import io.vertx.core.Vertx;

/** Time as a node's switchover sees it, read and scheduled through one seam so tests can drive it. */
public interface SwitchoverClock {

  long millis();

  /** Runs {@code task} on the node's context after {@code delayMillis}. */
  void schedule(long delayMillis, Runnable task);

  /** Wall-clock time and Vert.x timers. */
  static SwitchoverClock of(Vertx vertx) {
    return new SwitchoverClock() {
      @Override
      public long millis() {
        return System.currentTimeMillis();
      }

      @Override
      public void schedule(long delayMillis, Runnable task) {
        vertx.setTimer(Math.max(1, delayMillis), id -> task.run());
      }
    };
  }
}
