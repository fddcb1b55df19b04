package dev.tether.proxy.session;

/**
 * Where a session stands in a switchover's BLOCK, and with the connection it may prepare on the
 * next primary. Whether SWITCH asked it to move once its command ends is a separate fact
 * ({@link SessionSwitchover}), as SWITCH may come with or without a BLOCK.
 */
enum SwitchState {
  /** No BLOCK: new work runs. */
  FOLLOWING,
  /** BLOCK: new work outside a transaction waits for RESTORE; nothing prepared on the next primary. */
  BLOCKED,
  /** BLOCK: a connection to the next primary is being made and replayed. */
  STAGING,
  /** BLOCK: that connection is ready for SWITCH to adopt. */
  STAGED,
  /** RESTORE came while a connection was being made: it is closed when it comes. */
  RELEASED_STAGING;

  /** Whether new work outside a transaction is held. */
  boolean blocks() {
    return switch (this) {
      case BLOCKED, STAGING, STAGED -> true;
      case FOLLOWING, RELEASED_STAGING -> false;
    };
  }

  /** Whether a connection to the next primary is on its way (one per session there at a time). */
  boolean staging() {
    return switch (this) {
      case STAGING, RELEASED_STAGING -> true;
      case FOLLOWING, BLOCKED, STAGED -> false;
    };
  }

  /** After BLOCK. */
  SwitchState blocked() {
    return switch (this) {
      case FOLLOWING -> BLOCKED;
      case RELEASED_STAGING -> STAGING;
      case BLOCKED, STAGING, STAGED -> this;
    };
  }

  /** After RESTORE (a staged connection has been closed). */
  SwitchState restored() {
    return switch (this) {
      case FOLLOWING, BLOCKED, STAGED -> FOLLOWING;
      case STAGING, RELEASED_STAGING -> RELEASED_STAGING;
    };
  }

  /** When the connection being made has come (or failed), and was {@code kept} or closed. */
  SwitchState stagingDone(boolean kept) {
    return switch (this) {
      case STAGING -> kept ? STAGED : BLOCKED;
      case RELEASED_STAGING -> FOLLOWING;
      case FOLLOWING, BLOCKED, STAGED -> this; // BUG: no staging was on its way
    };
  }

  /** When the staged connection was closed, adopted or discarded. */
  SwitchState unstaged() {
    return this == STAGED ? BLOCKED : this;
  }
}
