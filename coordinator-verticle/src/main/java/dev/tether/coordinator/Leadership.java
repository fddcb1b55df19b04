package dev.tether.coordinator;

/**
 * Whether this coordinator holds the leader lock, read by everything that changes servers, the
 * shared topology or the fleet: one that lost the lock mid-run stops at its next step instead of
 * racing its successor.
 */
final class Leadership {
  private volatile boolean leading;

  /** Called on taking the leader lock. */
  void lead() {
    leading = true;
  }

  /** Called first when stopping: whatever is still in flight stops at its next step. */
  void abdicate() {
    leading = false;
  }

  boolean leading() {
    return leading;
  }
}
